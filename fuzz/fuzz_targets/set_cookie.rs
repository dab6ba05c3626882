//! The cookie diagnostics' `Set-Cookie` reader on any bytes: the lines are
//! written by the application, so it never panics, the name it returns is
//! part of the line, and a `SameSite=None; Secure` cookie over https has no
//! problem.

#![no_main]

use cors_credentials::test_hooks::{SameSite, SetCookie};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|line: &[u8]| {
    let cookie = SetCookie::parse(line);
    assert!(cookie.name.len() <= line.len());
    for https in [false, true] {
        let problems = cookie.problems(https);
        if https && cookie.same_site == SameSite::None && cookie.secure {
            assert_eq!(problems, [None, None]);
        }
    }
});
