//! Account flows shared by the JSON API and the browser pages: sign-in with the second factor,
//! invitations, applicant registration. Each change is audited in the same transaction.

use amtsweg_domain::auth::{Email, check_password_policy};
use amtsweg_domain::{Role, TenantId};
use amtsweg_store::audit::{self, NewEntry};
use amtsweg_store::{PLATFORM_CHAIN, outbox, users};
use chrono::{DateTime, Utc};
use serde_json::json;
use uuid::Uuid;

use crate::AppState;
use crate::error::AppError;
use crate::security::{self, Claims, TokenKind, token_hash, totp};
use crate::throttle::{account_key, address_key};

/// The result of a correct password.
#[derive(Debug, Clone)]
pub enum PasswordOk {
    /// Staff with an enrolled second factor: a code is needed next.
    NeedsTotp {
        tenant: TenantId,
        user: Uuid,
        role: Role,
    },
    /// Staff without a second factor: enrolment comes before anything else.
    NeedsEnrolment {
        tenant: TenantId,
        user: Uuid,
        role: Role,
    },
}

/// Checks e-mail and password of a staff member, with throttling per account and per address.
pub async fn staff_password(
    state: &AppState,
    email: &str,
    password: &str,
    address: &str,
) -> Result<PasswordOk, AppError> {
    let email = Email::parse(email).map_err(|_| AppError::Credentials)?;
    let limits = state.settings.limits;
    let account = account_key(email.as_str());
    let addr = address_key(address);
    ensure_not_throttled(
        state,
        &[(&account, limits.per_account), (&addr, limits.per_address)],
    )
    .await?;

    let entry = users::directory_lookup(state.db.connection(), email.as_str()).await?;
    let found = match entry.and_then(|entry| {
        entry
            .tenant_id
            .map(|tenant| (TenantId(tenant), entry.user_id))
    }) {
        Some((tenant, user_id)) => {
            let tx = state.db.tenant(tenant).await?;
            let user = users::get(&tx, user_id).await.ok();
            tx.commit().await?;
            user.map(|user| (tenant, user))
        }
        None => None,
    };
    let stored_hash = found
        .as_ref()
        .and_then(|(_, user)| user.password_hash.clone())
        .unwrap_or_else(|| state.dummy_password_hash.clone());
    let password_ok = security::verify_password(stored_hash, password.to_owned()).await?;

    let active = found.filter(|(_, user)| password_ok && user.status == users::status::ACTIVE);
    let Some((tenant, user)) = active else {
        record_failures(state, &[&account, &addr]).await?;
        state.metrics.signins.with_label_values(&["failed"]).inc();
        audit_platform(
            state,
            NewEntry::new("anonymous", "sign_in.failed").source(address),
        )
        .await?;
        return Err(AppError::Credentials);
    };
    state.throttle.reset(&account).await?;
    let role: Role = user
        .role
        .parse()
        .map_err(|_| AppError::internal("stored role is unknown"))?;
    Ok(if user.totp_enabled_at.is_some() {
        PasswordOk::NeedsTotp {
            tenant,
            user: user.id,
            role,
        }
    } else {
        PasswordOk::NeedsEnrolment {
            tenant,
            user: user.id,
            role,
        }
    })
}

/// Refuses the attempt when any of the (key, limit) pairs has used up its failures.
async fn ensure_not_throttled(state: &AppState, keys: &[(&str, u64)]) -> Result<(), AppError> {
    let now = state.clock.now();
    for (key, limit) in keys {
        if state.throttle.is_blocked(key, *limit, now).await? {
            state.metrics.signin_throttled.inc();
            return Err(AppError::Throttled {
                retry_after_secs: state.settings.limits.window.as_secs(),
            });
        }
    }
    Ok(())
}

async fn record_failures(state: &AppState, keys: &[&str]) -> Result<(), AppError> {
    let now = state.clock.now();
    for key in keys {
        state
            .throttle
            .record_failure(key, state.settings.limits.window, now)
            .await?;
    }
    Ok(())
}

/// A short-lived token that carries a half-finished sign-in to the second-factor step.
pub fn pending_token(
    state: &AppState,
    ok: &PasswordOk,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let (tenant, user, role, typ) = match ok {
        PasswordOk::NeedsTotp { tenant, user, role } => (tenant, user, role, TokenKind::MfaPending),
        PasswordOk::NeedsEnrolment { tenant, user, role } => {
            (tenant, user, role, TokenKind::MfaEnrol)
        }
    };
    state.keys.sign(&Claims {
        sub: *user,
        tid: Some(tenant.0),
        role: *role,
        sid: None,
        typ,
        iat: now.timestamp(),
        exp: (now + state.settings.mfa_ttl).timestamp(),
    })
}

/// Second step: a TOTP code or an unused recovery code. Issues the full session.
pub async fn staff_second_factor(
    state: &AppState,
    tenant: TenantId,
    user_id: Uuid,
    code: &str,
    address: &str,
) -> Result<(String, String), AppError> {
    let now = state.clock.now();
    let limits = state.settings.limits;
    let key = format!("totp:{user_id}");
    ensure_not_throttled(state, &[(&key, limits.per_account)]).await?;
    let tx = state.db.tenant(tenant).await?;
    let user = users::get(&tx, user_id).await?;
    let secret = user
        .totp_secret
        .clone()
        .filter(|_| user.totp_enabled_at.is_some())
        .ok_or(AppError::Forbidden)?;
    let unix = u64::try_from(now.timestamp()).unwrap_or_default();
    let mut method = "totp";
    let mut ok = match totp::check(&secret, code, unix)? {
        Some(step) => users::consume_totp_step(&tx, user_id, step).await?,
        None => false,
    };
    if !ok && code.contains('-') {
        ok = users::consume_recovery_code(
            &tx,
            user_id,
            &token_hash(&security::normalize_recovery_code(code)),
            now,
        )
        .await?;
        method = "recovery_code";
    }
    if !ok {
        tx.commit().await?;
        record_failures(state, &[&key]).await?;
        state.metrics.signins.with_label_values(&["failed"]).inc();
        return Err(AppError::field("code", "error-totp-invalid"));
    }
    state.throttle.reset(&key).await?;
    audit::append(
        &tx,
        now,
        NewEntry::new(format!("{}:{}", user.role, user.id), "sign_in")
            .object("user", user.id)
            .source(address)
            .details(json!({ "second_factor": method })),
    )
    .await?;
    tx.commit().await?;
    let role: Role = user
        .role
        .parse()
        .map_err(|_| AppError::internal("stored role is unknown"))?;
    state.metrics.signins.with_label_values(&["success"]).inc();
    crate::identity::issue_session(state, user_id, Some(tenant.0), role, now).await
}

/// Starts TOTP enrolment: stores a fresh, unconfirmed secret and returns it with its QR code.
pub async fn begin_enrolment(
    state: &AppState,
    tenant: TenantId,
    user_id: Uuid,
) -> Result<(String, String), AppError> {
    let now = state.clock.now();
    let tx = state.db.tenant(tenant).await?;
    let user = users::get(&tx, user_id).await?;
    if user.totp_enabled_at.is_some() {
        return Err(AppError::Conflict("mfa-already-enrolled"));
    }
    let secret = match user.totp_secret {
        Some(secret) => secret,
        None => {
            let secret = totp::new_secret();
            users::set_pending_totp(&tx, user_id, secret.clone(), now).await?;
            secret
        }
    };
    tx.commit().await?;
    let svg = totp::qr_svg(&totp::uri(&secret, &user.email)?)?;
    Ok((secret, svg))
}

/// Confirms enrolment with a first code; returns the recovery codes (shown once) and the session.
pub async fn finish_enrolment(
    state: &AppState,
    tenant: TenantId,
    user_id: Uuid,
    code: &str,
    address: &str,
) -> Result<(Vec<String>, (String, String)), AppError> {
    let now = state.clock.now();
    let tx = state.db.tenant(tenant).await?;
    let user = users::get(&tx, user_id).await?;
    let secret = user.totp_secret.clone().ok_or(AppError::Forbidden)?;
    let unix = u64::try_from(now.timestamp()).unwrap_or_default();
    let step = totp::check(&secret, code, unix)?
        .ok_or_else(|| AppError::field("code", "error-totp-invalid"))?;
    if !users::consume_totp_step(&tx, user_id, step).await? {
        return Err(AppError::field("code", "error-totp-invalid"));
    }
    let codes = security::recovery_codes(10);
    let hashes = codes.iter().map(|code| token_hash(code)).collect();
    users::enable_totp(&tx, user_id, hashes, now).await?;
    let actor = format!("{}:{}", user.role, user.id);
    audit::append(
        &tx,
        now,
        NewEntry::new(actor.clone(), "mfa.enrolled")
            .object("user", user.id)
            .source(address),
    )
    .await?;
    audit::append(
        &tx,
        now,
        NewEntry::new(actor, "sign_in")
            .object("user", user.id)
            .source(address)
            .details(json!({ "second_factor": "totp_enrolment" })),
    )
    .await?;
    tx.commit().await?;
    let role: Role = user
        .role
        .parse()
        .map_err(|_| AppError::internal("stored role is unknown"))?;
    let session = crate::identity::issue_session(state, user_id, Some(tenant.0), role, now).await?;
    Ok((codes, session))
}

pub async fn audit_platform(state: &AppState, entry: NewEntry) -> Result<(), AppError> {
    let tx = state.db.tenant(PLATFORM_CHAIN).await?;
    audit::append(&tx, state.clock.now(), entry).await?;
    tx.commit().await?;
    Ok(())
}

/// Invites a staff member by mail. The token carries its tenant so acceptance can open the right
/// tenant transaction without any cross-tenant lookup.
pub async fn invite(
    state: &AppState,
    inviter: &crate::identity::Identity,
    email: &str,
    role: &str,
    language: amtsweg_frontend::i18n::Lang,
    address: &str,
) -> Result<users::Invitation, AppError> {
    let now = state.clock.now();
    let tenant = inviter.tenant()?;
    let email = Email::parse(email).map_err(|_| AppError::field("email", "error-email-invalid"))?;
    let role: Role = role
        .parse()
        .map_err(|_| AppError::field("role", "error-role-invalid"))?;
    if !Role::TENANT_STAFF.contains(&role) {
        return Err(AppError::field("role", "error-role-invalid"));
    }
    if users::directory_lookup(state.db.connection(), email.as_str())
        .await?
        .is_some()
    {
        return Err(AppError::field("email", "error-email-taken"));
    }
    let secret = security::random_token();
    let token = format!("{}.{}", tenant.0, secret);
    let tx = state.db.tenant(tenant).await?;
    let tenant_row = amtsweg_store::tenants::get(tx.conn(), tenant.0).await?;
    let invitation = users::invite(
        &tx,
        users::NewInvitation {
            email: email.to_string(),
            role: role.as_str().to_owned(),
            token_hash: token_hash(&secret),
            invited_by: inviter.user_id.0,
            expires_at: now + state.settings.invitation_ttl,
        },
        now,
    )
    .await?;
    let link = format!(
        "{}/invitation/{}",
        state.settings.public_url.trim_end_matches('/'),
        token
    );
    let days = state.settings.invitation_ttl.num_days().to_string();
    use amtsweg_frontend::i18n::t_args;
    outbox::enqueue(
        tx.conn(),
        outbox::NewMail {
            recipient: email.to_string(),
            subject: t_args(
                language,
                "mail-invitation-subject",
                &[("authority", tenant_row.name.clone())],
            ),
            body_text: t_args(
                language,
                "mail-invitation-body",
                &[
                    ("authority", tenant_row.name),
                    ("link", link),
                    ("days", days),
                ],
            ),
            body_html: None,
        },
        now,
    )
    .await?;
    audit::append(
        &tx,
        now,
        NewEntry::new(inviter.actor(), "user.invited")
            .object("invitation", invitation.id)
            .source(address)
            .details(json!({ "role": role.as_str() })),
    )
    .await?;
    tx.commit().await?;
    state.outbox_wakeup.notify_one();
    Ok(invitation)
}

/// Splits an invitation token into its tenant and secret.
pub fn parse_invitation_token(token: &str) -> Result<(TenantId, String), AppError> {
    let (tenant, secret) = token.split_once('.').ok_or(AppError::NotFound)?;
    let tenant: Uuid = tenant.parse().map_err(|_| AppError::NotFound)?;
    Ok((TenantId(tenant), secret.to_owned()))
}

/// An invitation that can still be accepted.
pub async fn open_invitation(
    state: &AppState,
    token: &str,
) -> Result<(users::Invitation, String), AppError> {
    let (tenant, secret) = parse_invitation_token(token)?;
    let tx = state.db.tenant(tenant).await?;
    let invitation = users::invitation_by_token(&tx, &token_hash(&secret)).await?;
    let tenant_name = amtsweg_store::tenants::get(tx.conn(), tenant.0).await?.name;
    tx.commit().await?;
    if invitation.accepted_at.is_some() || invitation.expires_at <= state.clock.now() {
        return Err(AppError::NotFound);
    }
    Ok((invitation, tenant_name))
}

pub async fn accept_invitation(
    state: &AppState,
    token: &str,
    display_name: &str,
    password: &str,
    password_confirm: &str,
    address: &str,
) -> Result<Uuid, AppError> {
    let now = state.clock.now();
    let mut errors = std::collections::BTreeMap::new();
    let display_name = display_name.trim();
    if display_name.is_empty() {
        errors.insert("display_name".to_owned(), "error-required".to_owned());
    }
    if check_password_policy(password).is_err() {
        errors.insert("password".to_owned(), "error-password-short".to_owned());
    } else if password != password_confirm {
        errors.insert(
            "password_confirm".to_owned(),
            "error-password-mismatch".to_owned(),
        );
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let (invitation, _) = open_invitation(state, token).await?;
    let hash = security::hash_password(state.settings.password, password.to_owned()).await?;
    let tx = state.db.tenant(TenantId(invitation.tenant_id)).await?;
    users::mark_invitation_accepted(&tx, invitation.id, now).await?;
    let user = users::create(
        &tx,
        users::NewUser {
            id: Uuid::now_v7(),
            email: invitation.email.clone(),
            display_name: display_name.to_owned(),
            role: invitation.role.clone(),
            password_hash: Some(hash),
        },
        now,
    )
    .await
    .map_err(|err| match err {
        amtsweg_store::StoreError::Conflict(_) => AppError::field("email", "error-email-taken"),
        other => other.into(),
    })?;
    audit::append(
        &tx,
        now,
        NewEntry::new(format!("{}:{}", user.role, user.id), "invitation.accepted")
            .object("user", user.id)
            .source(address),
    )
    .await?;
    tx.commit().await?;
    Ok(user.id)
}

/// Registers an applicant account and mails the confirmation link. An address that is already
/// registered gets no new account and no error, so the form does not reveal who has an account.
pub async fn register_applicant(
    state: &AppState,
    email: &str,
    display_name: &str,
    password: &str,
    language: amtsweg_frontend::i18n::Lang,
    address: &str,
) -> Result<(), AppError> {
    let now = state.clock.now();
    let mut errors = std::collections::BTreeMap::new();
    let email = match Email::parse(email) {
        Ok(email) => Some(email),
        Err(_) => {
            errors.insert("email".to_owned(), "error-email-invalid".to_owned());
            None
        }
    };
    if display_name.trim().is_empty() {
        errors.insert("display_name".to_owned(), "error-required".to_owned());
    }
    if check_password_policy(password).is_err() {
        errors.insert("password".to_owned(), "error-password-short".to_owned());
    }
    let Some(email) = email.filter(|_| errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    let limits = state.settings.limits;
    let addr_key = address_key(&format!("register:{address}"));
    // Registrations count against the address whether they succeed or not: a cheap brake on
    // scripted account creation.
    ensure_not_throttled(state, &[(&addr_key, limits.per_address)]).await?;
    record_failures(state, &[&addr_key]).await?;
    let tx = state.db.platform().await?;
    if amtsweg_store::applicants::by_email(tx.conn(), email.as_str())
        .await?
        .is_some()
    {
        return Ok(());
    }
    let token = security::random_token();
    let hash = security::hash_password(state.settings.password, password.to_owned()).await?;
    let applicant = amtsweg_store::applicants::create(
        tx.conn(),
        amtsweg_store::applicants::NewApplicant {
            email: email.to_string(),
            display_name: display_name.trim().to_owned(),
            password_hash: hash,
            language: language.code().to_owned(),
            confirm_token_hash: token_hash(&token),
        },
        now,
    )
    .await?;
    let link = format!(
        "{}/portal/confirm/{}",
        state.settings.public_url.trim_end_matches('/'),
        token
    );
    use amtsweg_frontend::i18n::t_args;
    outbox::enqueue(
        tx.conn(),
        outbox::NewMail {
            recipient: email.to_string(),
            subject: t_args(language, "mail-confirm-subject", &[]),
            body_text: t_args(language, "mail-confirm-body", &[("link", link)]),
            body_html: None,
        },
        now,
    )
    .await?;
    tx.commit().await?;
    audit_platform(
        state,
        NewEntry::new(
            format!("applicant:{}", applicant.id),
            "applicant.registered",
        )
        .source(address),
    )
    .await?;
    state.outbox_wakeup.notify_one();
    Ok(())
}

pub async fn confirm_applicant(state: &AppState, token: &str) -> Result<(), AppError> {
    let now = state.clock.now();
    let applicant =
        amtsweg_store::applicants::confirm(state.db.connection(), &token_hash(token), now).await?;
    audit_platform(
        state,
        NewEntry::new(format!("applicant:{}", applicant.id), "applicant.confirmed"),
    )
    .await
}

/// Applicants sign in with e-mail and password once their address is confirmed.
/// With `idle_timeout` (a sign-in at a self-service terminal) the session ends that long after
/// its last request.
pub async fn applicant_sign_in(
    state: &AppState,
    email: &str,
    password: &str,
    address: &str,
    idle_timeout: Option<chrono::Duration>,
) -> Result<(String, String), AppError> {
    let now = state.clock.now();
    let email = Email::parse(email).map_err(|_| AppError::Credentials)?;
    let limits = state.settings.limits;
    let account = account_key(&format!("applicant:{}", email.as_str()));
    let addr = address_key(address);
    ensure_not_throttled(
        state,
        &[(&account, limits.per_account), (&addr, limits.per_address)],
    )
    .await?;
    let found = amtsweg_store::applicants::by_email(state.db.connection(), email.as_str()).await?;
    let stored = found.as_ref().map_or_else(
        || state.dummy_password_hash.clone(),
        |a| a.password_hash.clone(),
    );
    let ok = security::verify_password(stored, password.to_owned()).await?;
    let Some(applicant) = found.filter(|a| ok && a.email_confirmed_at.is_some()) else {
        record_failures(state, &[&account, &addr]).await?;
        return Err(AppError::Credentials);
    };
    state.throttle.reset(&account).await?;
    audit_platform(
        state,
        NewEntry::new(format!("applicant:{}", applicant.id), "sign_in").source(address),
    )
    .await?;
    crate::identity::issue_session_with(
        state,
        applicant.id,
        None,
        Role::Applicant,
        now,
        idle_timeout,
    )
    .await
}
