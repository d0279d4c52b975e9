//! sea-orm entities, one module per table, mirroring `migrations/src/sql`.

macro_rules! entity_boilerplate {
    () => {
        #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
        pub enum Relation {}

        impl ActiveModelBehavior for ActiveModel {}
    };
}

pub mod tenant {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "tenants")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub slug: String,
        pub name: String,
        pub kind: String,
        pub carrier: String,
        pub regierungsbezirk: Option<String>,
        pub ags: Option<String>,
        pub kreisschluessel: Option<String>,
        pub abh_kennung: Option<String>,
        pub behoerdenkennzahl: Option<String>,
        pub vendor: String,
        pub contact_email: Option<String>,
        pub contact_phone: Option<String>,
        pub contact_website: Option<String>,
        pub lifecycle: String,
        pub pilot: bool,
        pub confirmed: bool,
        pub delegated_to: Option<String>,
        pub source: Option<String>,
        pub notes: Option<String>,
        pub created_at: ChronoDateTimeUtc,
        pub updated_at: ChronoDateTimeUtc,
    }
    entity_boilerplate!();
}

pub mod login_directory {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "login_directory")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub email: String,
        pub tenant_id: Option<Uuid>,
        pub user_id: Uuid,
    }
    entity_boilerplate!();
}

pub mod auth_session {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "auth_sessions")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub user_id: Uuid,
        pub tenant_id: Option<Uuid>,
        pub token_hash: String,
        pub created_at: ChronoDateTimeUtc,
        pub expires_at: ChronoDateTimeUtc,
        pub last_used_at: ChronoDateTimeUtc,
        pub revoked_at: Option<ChronoDateTimeUtc>,
        /// Kiosk sessions end after this many seconds without a request.
        pub idle_timeout_seconds: Option<i32>,
    }
    entity_boilerplate!();
}

pub mod applicant_account {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "applicant_accounts")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub email: String,
        pub display_name: String,
        pub password_hash: String,
        pub language: String,
        pub email_confirmed_at: Option<ChronoDateTimeUtc>,
        pub confirm_token_hash: Option<String>,
        pub created_at: ChronoDateTimeUtc,
    }
    entity_boilerplate!();
}

pub mod job {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "job_queue")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub tenant_id: Option<Uuid>,
        pub kind: String,
        pub payload: String,
        pub state: String,
        pub attempts: i32,
        pub max_attempts: i32,
        pub run_after: ChronoDateTimeUtc,
        pub locked_until: Option<ChronoDateTimeUtc>,
        pub locked_by: Option<String>,
        pub progress: f64,
        pub last_error: Option<String>,
        pub created_at: ChronoDateTimeUtc,
        pub updated_at: ChronoDateTimeUtc,
    }
    entity_boilerplate!();
}

pub mod mail {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "mail_outbox")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub recipient: String,
        pub subject: String,
        pub body_text: String,
        pub body_html: Option<String>,
        pub created_at: ChronoDateTimeUtc,
        pub sent_at: Option<ChronoDateTimeUtc>,
    }
    entity_boilerplate!();
}

pub mod accessibility_feedback {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "accessibility_feedback")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub received_at: ChronoDateTimeUtc,
        pub message: String,
        pub page: Option<String>,
        pub contact: Option<String>,
        pub lang: String,
        pub handled_at: Option<ChronoDateTimeUtc>,
    }
    entity_boilerplate!();
}

pub mod user {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "users")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub email: String,
        pub display_name: String,
        pub role: String,
        pub status: String,
        pub password_hash: Option<String>,
        pub totp_secret: Option<String>,
        pub totp_enabled_at: Option<ChronoDateTimeUtc>,
        /// The last TOTP time step accepted: a code is accepted once (RFC 6238 § 5.2).
        pub totp_last_step: Option<i64>,
        pub created_at: ChronoDateTimeUtc,
        pub updated_at: ChronoDateTimeUtc,
    }
    entity_boilerplate!();
}

pub mod recovery_code {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "recovery_codes")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub user_id: Uuid,
        pub code_hash: String,
        pub used_at: Option<ChronoDateTimeUtc>,
    }
    entity_boilerplate!();
}

pub mod invitation {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "invitations")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub email: String,
        pub role: String,
        pub token_hash: String,
        pub invited_by: Uuid,
        pub created_at: ChronoDateTimeUtc,
        pub expires_at: ChronoDateTimeUtc,
        pub accepted_at: Option<ChronoDateTimeUtc>,
    }
    entity_boilerplate!();
}

pub mod audit_head {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "audit_heads")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        pub last_seq: i64,
        pub last_hash: String,
    }
    entity_boilerplate!();
}

pub mod audit_entry {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "audit_log")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub tenant_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub seq: i64,
        pub at: ChronoDateTimeUtc,
        pub actor: String,
        pub action: String,
        pub object_type: String,
        pub object_id: String,
        pub source: String,
        pub details: String,
        pub prev_hash: String,
        pub hash: String,
    }
    entity_boilerplate!();
}
