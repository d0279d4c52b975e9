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
