//! The embedded default: the real binary with no database configured starts on SQLite, applies the
//! migrations, imports the catalog, prints demo accounts, and the main flows work.

use serde_json::{Value, json};

use crate::support::{BinaryInstance, TempDir, binary, client};

struct DemoAccount {
    email: String,
    password: String,
}

fn demo_account(stdout: &str, email: &str) -> DemoAccount {
    let line = stdout
        .lines()
        .find(|l| l.trim_start().starts_with(email))
        .unwrap_or_else(|| panic!("{email} not printed:\n{stdout}"));
    let mut words = line.split_whitespace();
    DemoAccount {
        email: words.next().unwrap_or_default().to_owned(),
        password: words.next().unwrap_or_default().to_owned(),
    }
}

async fn demo_code(dir: &std::path::Path, email: &str) -> String {
    let output = tokio::process::Command::new(binary())
        .args(["demo", "totp", email])
        .current_dir(dir)
        .env_clear()
        .env("AMTSWEG_LOG", "error")
        .output()
        .await
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

/// A bearer token for a demo account of the running instance.
async fn demo_token(instance: &BinaryInstance, dir: &std::path::Path, email: &str) -> String {
    let account = demo_account(&instance.stdout(), email);
    let code = demo_code(dir, &account.email).await;
    let tokens: Value = client()
        .post(format!("{}/api/v1/auth/token", instance.base))
        .json(&json!({ "email": account.email, "password": account.password, "code": code }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    tokens["access_token"]
        .as_str()
        .unwrap_or_else(|| panic!("{tokens}"))
        .to_owned()
}

/// Offboarding on the embedded default: the documented export (JSON lines with the digest
/// header), then the deletion confirmed by that digest, exactly as on PostgreSQL.
#[tokio::test]
async fn offboarding_exports_and_deletes_on_the_embedded_default() {
    let dir = TempDir::new("sqlite-offboard");
    let instance = BinaryInstance::start(&[], dir.path()).await;
    let operator = demo_token(&instance, dir.path(), "betrieb@amtsweg.demo").await;
    let admin = demo_token(&instance, dir.path(), "admin@borken.amtsweg.demo").await;
    let call = |method: reqwest::Method, token: &str, path: &str, body: Option<Value>| {
        let mut request = client()
            .request(method, format!("{}{path}", instance.base))
            .bearer_auth(token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send()
    };
    let tenants: Value = call(reqwest::Method::GET, &operator, "/api/v1/tenants", None)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let tenant = tenants
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["slug"] == "abh-kreis-borken")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let rollout = format!("/api/v1/rollout/tenants/{tenant}");

    // Invited, onboarded through the checklist, live, then suspended: only then is it exported.
    let invited = call(
        reqwest::Method::POST,
        &operator,
        &format!("{rollout}/invite"),
        Some(json!({ "email": "zweite.admin@borken.test" })),
    )
    .await
    .unwrap();
    assert!(
        invited.status().is_success(),
        "{}",
        invited.text().await.unwrap()
    );
    for item in [
        "users_and_roles",
        "services_activated",
        "file_plan",
        "hardware_received",
        "vendor_interface",
        "data_protection_contact",
    ] {
        let saved = call(
            reqwest::Method::PUT,
            &admin,
            &format!("/api/v1/rollout/checklist/{item}"),
            Some(json!({ "done": true, "note": "erledigt" })),
        )
        .await
        .unwrap();
        assert_eq!(saved.status(), 200, "{item}");
    }
    let export_path = format!("{rollout}/export");
    for to in ["live", "suspended"] {
        if to == "suspended" {
            let refused = call(reqwest::Method::GET, &operator, &export_path, None)
                .await
                .unwrap();
            assert_eq!(refused.status(), 409, "a live tenant is suspended first");
        }
        let moved = call(
            reqwest::Method::POST,
            &operator,
            &format!("{rollout}/lifecycle"),
            Some(json!({ "to": to })),
        )
        .await
        .unwrap();
        assert_eq!(moved.status(), 200, "{to}: {}", moved.text().await.unwrap());
    }

    let export = call(reqwest::Method::GET, &operator, &export_path, None)
        .await
        .unwrap();
    assert_eq!(export.status(), 200);
    assert_eq!(export.headers()["content-type"], "application/x-ndjson");
    let digest = export.headers()["x-export-sha256"]
        .to_str()
        .unwrap()
        .to_owned();
    let text = export.text().await.unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["format"], "amtsweg-tenant-export");
    assert_eq!(lines[0]["slug"], "abh-kreis-borken");
    assert_eq!(lines[0]["rows"], lines.len() - 1);
    let rows: Vec<&Value> = lines[1..].iter().collect();
    // Every row is the tenant's; identifiers read as UUIDs, flags as booleans, as on PostgreSQL.
    assert!(
        rows.iter()
            .all(|r| r["row"]["tenant_id"] == tenant.as_str())
    );
    let users: Vec<&&Value> = rows.iter().filter(|r| r["table"] == "users").collect();
    assert!(
        users
            .iter()
            .any(|u| u["row"]["email"] == "admin@borken.amtsweg.demo")
    );
    assert!(
        users
            .iter()
            .all(|u| uuid::Uuid::parse_str(u["row"]["id"].as_str().unwrap()).is_ok())
    );
    let checklist: Vec<&&Value> = rows
        .iter()
        .filter(|r| r["table"] == "rollout_checklist")
        .collect();
    assert!(checklist.len() >= 6);
    assert!(checklist.iter().all(|c| c["row"]["done"] == true));

    let refused = call(
        reqwest::Method::POST,
        &operator,
        &format!("{rollout}/offboard"),
        Some(json!({ "export_sha256": "0".repeat(64) })),
    )
    .await
    .unwrap();
    assert_eq!(refused.status(), 409);
    let offboarded = call(
        reqwest::Method::POST,
        &operator,
        &format!("{rollout}/offboard"),
        Some(json!({ "export_sha256": digest })),
    )
    .await
    .unwrap();
    assert_eq!(offboarded.status(), 200);
    let offboarded: Value = offboarded.json().await.unwrap();
    assert_eq!(offboarded["lifecycle"], "offboarded");
    assert!(offboarded["rows_deleted"].as_u64().unwrap() >= rows.len() as u64);
    // The tenant's accounts are gone with its data.
    let after = call(reqwest::Method::GET, &admin, "/api/v1/users", None)
        .await
        .unwrap();
    assert_eq!(after.status(), 401);
}

#[tokio::test]
async fn the_embedded_default_starts_and_serves_the_main_flows() {
    let dir = TempDir::new("sqlite");
    let instance = BinaryInstance::start(&[], dir.path()).await;
    assert!(dir.path().join("data/amtsweg.db").exists());
    let stdout = instance.stdout();
    assert!(stdout.contains("187 added"), "{stdout}");
    let ready: Value = client()
        .get(format!("{}/readyz", instance.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ready["status"], "ready");
    assert_eq!(ready["redis"], "not configured");

    let operator = demo_account(&stdout, "betrieb@amtsweg.demo");
    let code = demo_code(dir.path(), &operator.email).await;
    let tokens: Value = client()
        .post(format!("{}/api/v1/auth/token", instance.base))
        .json(&json!({ "email": operator.email, "password": operator.password, "code": code }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = tokens["access_token"]
        .as_str()
        .unwrap_or_else(|| panic!("{tokens}"));
    let tenants: Value = client()
        .get(format!("{}/api/v1/tenants", instance.base))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(tenants.as_array().unwrap().len(), 187);

    let admin = demo_account(&stdout, "admin@borken.amtsweg.demo");
    let code = demo_code(dir.path(), &admin.email).await;
    let tokens: Value = client()
        .post(format!("{}/api/v1/auth/token", instance.base))
        .json(&json!({ "email": admin.email, "password": admin.password, "code": code }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = tokens["access_token"].as_str().unwrap();
    let users: Value = client()
        .get(format!("{}/api/v1/users", instance.base))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let emails: Vec<&str> = users
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["email"].as_str().unwrap())
        .collect();
    assert!(emails.contains(&"sachbearbeitung@borken.amtsweg.demo"));
    assert!(
        !emails.contains(&"admin@bielefeld.amtsweg.demo"),
        "the tenant filter holds on SQLite too"
    );
    let invited = client()
        .post(format!("{}/api/v1/invitations", instance.base))
        .bearer_auth(token)
        .json(&json!({ "email": "neu@borken.test", "role": "clerk" }))
        .send()
        .await
        .unwrap();
    assert_eq!(invited.status(), 201);

    // Without an SMTP server the mail lands as a file in the data directory.
    let mail_dir = dir.path().join("data/mail");
    let mut found = false;
    for _ in 0..100 {
        if std::fs::read_dir(&mail_dir)
            .map(|rd| rd.count() > 0)
            .unwrap_or(false)
        {
            found = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(found, "the invitation mail is written to data/mail");

    let verify = tokio::process::Command::new(binary())
        .args(["audit", "verify", "--tenant", "abh-kreis-borken"])
        .current_dir(dir.path())
        .env_clear()
        .env("AMTSWEG_LOG", "error")
        .output()
        .await
        .unwrap();
    assert!(
        verify.status.success(),
        "{}",
        String::from_utf8_lossy(&verify.stdout)
    );
    drop(instance);

    // A restart keeps data and keys: no second import, no second set of demo accounts.
    let again = BinaryInstance::start(&[], dir.path()).await;
    assert!(
        !again.stdout().contains("Demo accounts"),
        "{}",
        again.stdout()
    );
}
