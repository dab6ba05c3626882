//! The behaviour rules of `docs/attribute.md`, `docs/tower.md` and
//! `docs/guard.md`, each a table of scenarios written once and run on both
//! adapters through `test_support::driver`: `rule7_actix` runs `RULE_7` on
//! actix-web, `rule7_tower` on axum. The fixtures (`fixtures.rs`) are the
//! only code written per adapter.

mod fixtures;
mod route;

/// One test per rule and adapter: `rules! { rule1_actix, rule1_tower => route::RULE_1; }`.
macro_rules! rules {
    ($($actix:ident, $tower:ident => $table:path;)*) => {$(
        #[actix_web::test]
        async fn $actix() {
            test_support::driver::run(stringify!($table), $table, fixtures::actix).await;
        }

        #[tokio::test]
        async fn $tower() {
            test_support::driver::run(stringify!($table), $table, fixtures::tower).await;
        }
    )*};
}

rules! {
    rule1_actix, rule1_tower => route::RULE_1;
    rule2_actix, rule2_tower => route::RULE_2;
    rule3_actix, rule3_tower => route::RULE_3;
    rule4_actix, rule4_tower => route::RULE_4;
    rule5_actix, rule5_tower => route::RULE_5;
    rule6_actix, rule6_tower => route::RULE_6;
    rule7_actix, rule7_tower => route::RULE_7;
    rule8_actix, rule8_tower => route::RULE_8;
    rule9_actix, rule9_tower => route::RULE_9;
    rule10_actix, rule10_tower => route::RULE_10;
    rule11_actix, rule11_tower => route::RULE_11;
}
