//! The behaviour rules of `docs/attribute.md`, `docs/tower.md`,
//! `docs/guard.md`, `docs/cookies.md` (rule 27, checked in sequence rather
//! than as a table, by `rule27_cookie_diagnostics`) and `docs/policy.md`
//! (rules 28–32, per-tenant origins), each a table of scenarios written once and run on both
//! adapters through `test_support::driver`: `rule7_actix` runs `RULE_7` on
//! actix-web, `rule7_tower` on axum. The fixtures (`fixtures.rs`) are the
//! only code written per adapter.

mod config;
mod cookies;
#[cfg(feature = "tracing")]
mod events;
mod fixtures;
mod guard;
mod logs;
mod refusals;
mod route;
mod tenants;

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
    rule12_actix, rule12_tower => guard::RULE_12;
    rule13_actix, rule13_tower => guard::RULE_13;
    rule14_actix, rule14_tower => guard::RULE_14;
    rule15_actix, rule15_tower => guard::RULE_15;
    rule16_actix, rule16_tower => guard::RULE_16;
    rule17_actix, rule17_tower => guard::RULE_17;
    rule18_actix, rule18_tower => guard::RULE_18;
    rule19_actix, rule19_tower => guard::RULE_19;
    rule20_actix, rule20_tower => guard::RULE_20;
    rule21_actix, rule21_tower => guard::RULE_21;
    rule22_actix, rule22_tower => guard::RULE_22;
    rule23_actix, rule23_tower => guard::RULE_23;
    rule24_actix, rule24_tower => guard::RULE_24;
    rule25_actix, rule25_tower => guard::RULE_25;
    rule26_actix, rule26_tower => guard::RULE_26;
    rule28_actix, rule28_tower => tenants::RULE_28;
    rule29_actix, rule29_tower => tenants::RULE_29;
    rule30_actix, rule30_tower => tenants::RULE_30;
    rule31_actix, rule31_tower => tenants::RULE_31;
    rule32_actix, rule32_tower => tenants::RULE_32;
    refusals_actix, refusals_tower => refusals::REFUSALS;
    patterns_actix, patterns_tower => config::PATTERNS;
}

/// One test per check and adapter, each on a fresh app of its fixture:
/// `checks! { logs_actix, logs_tower => logs::guard_refusals, on "guard"; }`.
macro_rules! checks {
    ($($(#[$cfg:meta])* $actix:ident, $tower:ident => $check:path, on $fixture:literal;)*) => {$(
        $(#[$cfg])*
        #[actix_web::test]
        async fn $actix() {
            $check(fixtures::actix($fixture).await).await;
        }

        $(#[$cfg])*
        #[tokio::test]
        async fn $tower() {
            $check(fixtures::tower($fixture).await).await;
        }
    )*};
}

checks! {
    guard_refusals_are_logged_actix, guard_refusals_are_logged_tower => logs::guard_refusals, on "guard";
    route_refusals_are_logged_actix, route_refusals_are_logged_tower => logs::route_refusals, on "route";
    #[cfg(feature = "tracing")]
    tracing_events_actix, tracing_events_tower => events::events, on "tracing";
}

/// Rule 27 (`docs/cookies.md`): the cookie diagnostics, on both adapters in
/// one test, since it turns them off for the process a while.
#[actix_web::test]
async fn rule27_cookie_diagnostics() {
    cookies::diagnostics(fixtures::actix("cookies").await).await;
    cookies::diagnostics(fixtures::tower("cookies").await).await;
}
