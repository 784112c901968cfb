//! The binary as a user runs it: configuration errors, the account and unit commands.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Output};

fn zhengshu(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zhengshu"))
        .args(args)
        .current_dir(dir)
        .env_remove("ZHENGSHU_DATABASE_URL")
        .env_remove("ZHENGSHU_DATA_DIR")
        .env("ZHENGSHU_LOG", "warn")
        .output()
        .unwrap()
}

fn text(o: &[u8]) -> String {
    String::from_utf8_lossy(o).into_owned()
}

#[test]
fn invalid_configuration_exits_2_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        vec!["serve", "--listen", "not-an-address"],
        vec!["serve", "--session-hours", "0"],
        vec!["serve", "--database-url", "mysql://x"],
        vec!["serve", "--admin-password", "short"],
        vec!["serve", "--bogus-flag"],
        vec!["--config", "missing.toml", "migrate"],
    ] {
        let o = zhengshu(dir.path(), &args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", text(&o.stderr));
        let err = text(&o.stderr);
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with("zhengshu: "), "{err}");
    }
    // A bad key in zhengshu.toml is a configuration error too.
    std::fs::write(dir.path().join("zhengshu.toml"), "listn = \"x\"\n").unwrap();
    let o = zhengshu(dir.path(), &["migrate"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("listn"), "{}", text(&o.stderr));
    // A valid file is read: its bad listen value fails only for serve.
    std::fs::write(dir.path().join("zhengshu.toml"), "listen = \"nowhere\"\n").unwrap();
    let o = zhengshu(dir.path(), &["serve"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("nowhere"));
    // …and the flag wins over the file.
    let o = zhengshu(dir.path(), &["migrate"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
}

#[test]
fn version_and_help() {
    let dir = tempfile::tempdir().unwrap();
    let o = zhengshu(dir.path(), &["--version"]);
    assert!(o.status.success());
    assert!(text(&o.stdout).contains(env!("CARGO_PKG_VERSION")));
    let o = zhengshu(dir.path(), &["serve", "--help"]);
    assert!(text(&o.stdout).contains("ZHENGSHU_LISTEN"));
}

#[test]
fn units_and_users_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let d = data.to_str().unwrap();
    let csv = dir.path().join("units.csv");
    std::fs::write(
        &csv,
        "单位名称,层级\n龙岗区教育局,区级\n平湖街道办事处,街道\n",
    )
    .unwrap();
    let o = zhengshu(
        dir.path(),
        &[
            "unit",
            "import",
            csv.to_str().unwrap(),
            "--dry-run",
            "--data-dir",
            d,
        ],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let o = zhengshu(
        dir.path(),
        &["unit", "list", "--format", "json", "--data-dir", d],
    );
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&o.stdout)
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        0
    );
    let o = zhengshu(
        dir.path(),
        &["unit", "import", csv.to_str().unwrap(), "--data-dir", d],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let o = zhengshu(
        dir.path(),
        &["unit", "list", "--format", "json", "--data-dir", d],
    );
    let units: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(units.as_array().unwrap().len(), 2);
    // Importing again fails with row errors and changes nothing.
    let o = zhengshu(
        dir.path(),
        &["unit", "import", csv.to_str().unwrap(), "--data-dir", d],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("row 2"), "{}", text(&o.stderr));

    let o = zhengshu(
        dir.path(),
        &[
            "user",
            "add",
            "--username",
            "chen",
            "--name",
            "陈数据",
            "--unit",
            "龙岗区教育局",
            "--role",
            "data_officer",
            "--data-dir",
            d,
        ],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    let pw = out
        .lines()
        .find_map(|l| l.strip_prefix("password: "))
        .unwrap();
    assert_eq!(pw.len(), 20);
    let o = zhengshu(
        dir.path(),
        &["user", "list", "--format", "json", "--data-dir", d],
    );
    let users: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(users[0]["username"], "chen");
    assert_eq!(users[0]["unit_name"], "龙岗区教育局");
    assert_eq!(users[0]["roles"][0], "data_officer");
    let o = zhengshu(
        dir.path(),
        &[
            "user",
            "add",
            "--username",
            "x",
            "--role",
            "wizard",
            "--data-dir",
            d,
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("wizard"));
    let o = zhengshu(
        dir.path(),
        &[
            "user",
            "passwd",
            "chen",
            "--password",
            "a-new-long-password",
            "--data-dir",
            d,
        ],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let o = zhengshu(dir.path(), &["user", "passwd", "nobody", "--data-dir", d]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn ingest_standardises_columns_set_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let d = data.to_str().unwrap();
    let units = dir.path().join("units.csv");
    std::fs::write(&units, "单位名称,层级\n平湖街道办事处,街道\n").unwrap();
    let o = zhengshu(
        dir.path(),
        &["unit", "import", units.to_str().unwrap(), "--data-dir", d],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let shops = dir.path().join("shops.csv");
    std::fs::write(
        &shops,
        "shop_code,name\nA001,\"  ＡＢＣ商店\u{3000}\"\nA002,平湖（一）店\n",
    )
    .unwrap();
    let o = zhengshu(
        dir.path(),
        &[
            "ingest",
            "--create",
            "--unit",
            "平湖街道办事处",
            "--name",
            "商户名录",
            "--table",
            "shops",
            "--key",
            "shop_code",
            "--standardise",
            "name=trim,half_width",
            "--format",
            "json",
            shops.to_str().unwrap(),
            "--data-dir",
            d,
        ],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let o = zhengshu(
        dir.path(),
        &[
            "sql",
            "--format",
            "csv",
            "SELECT name FROM shops ORDER BY shop_code",
            "--data-dir",
            d,
        ],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(text(&o.stdout), "name\nABC商店\n平湖(一)店\n");
    // Output whose reader has gone (`| head`) ends quietly, not in a panic.
    let mut child = Command::new(env!("CARGO_BIN_EXE_zhengshu"))
        .args(["sql", "SELECT name FROM shops", "--data-dir", d])
        .current_dir(dir.path())
        .env_remove("ZHENGSHU_DATABASE_URL")
        .env("ZHENGSHU_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{:?}: {}", o.status, text(&o.stderr));
    assert!(!text(&o.stderr).contains("panicked"), "{}", text(&o.stderr));

    let o = zhengshu(dir.path(), &["lake", "settings", "shops", "--data-dir", d]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(out.contains("name=trim,half_width"), "{out}");
    assert!(out.contains("key column:  shop_code"), "{out}");
    // A column the table lacks, or a transform that does not exist: a clear error.
    let o = zhengshu(
        dir.path(),
        &[
            "lake",
            "settings",
            "shops",
            "--standardise",
            "owner=trim",
            "--data-dir",
            d,
        ],
    );
    assert!(!o.status.success());
    assert!(
        text(&o.stderr).contains("`owner` is not a data item"),
        "{}",
        text(&o.stderr)
    );
    let o = zhengshu(
        dir.path(),
        &[
            "lake",
            "settings",
            "shops",
            "--standardise",
            "name=shout",
            "--data-dir",
            d,
        ],
    );
    assert!(!o.status.success());
    assert!(
        text(&o.stderr).contains("`shout` is not a transform"),
        "{}",
        text(&o.stderr)
    );
    // `COLUMN=` clears the column's standardisation.
    let o = zhengshu(
        dir.path(),
        &[
            "lake",
            "settings",
            "shops",
            "--standardise",
            "name=",
            "--data-dir",
            d,
        ],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).contains("standardise: none"),
        "{}",
        text(&o.stdout)
    );
}

/// The process starts itself again with glibc's mmap threshold fixed (see `main.rs`), once,
/// and leaves a threshold the environment already sets alone.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
fn malloc_mmap_threshold_is_fixed_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let run = |tunables: Option<&str>| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_zhengshu"));
        c.args(["migrate", "--data-dir", "d"])
            .current_dir(dir.path())
            .env_remove("ZHENGSHU_DATABASE_URL")
            .env_remove("MALLOC_MMAP_THRESHOLD_")
            .env("ZHENGSHU_LOG", "zhengshu=debug,warn");
        match tunables {
            Some(t) => c.env("GLIBC_TUNABLES", t),
            None => c.env_remove("GLIBC_TUNABLES"),
        };
        let o = c.output().unwrap();
        assert!(o.status.success(), "{}", text(&o.stderr));
        text(&o.stderr)
    };
    let fixed = "mmap threshold fixed at 128 KiB";
    let err = run(None);
    assert_eq!(err.matches(fixed).count(), 1, "{err}");
    // Other tunables are kept beside it.
    let err = run(Some("glibc.malloc.tcache_count=8"));
    assert_eq!(err.matches(fixed).count(), 1, "{err}");
    // A threshold of the user's own: no restart.
    let err = run(Some("glibc.malloc.mmap_threshold=65536"));
    assert!(!err.contains(fixed), "{err}");
}
