//! Roles and the permission matrix. `docs/permissions.md` is generated from [`Role::matrix_markdown`]
//! and a test keeps the two equal.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Runs the platform: onboards and offboards tenants, sees platform health.
    PlatformOperator,
    /// Reads the ministry console: aggregates only.
    MinistryAnalyst,
    /// Administers one authority: users, roles, configuration, audit log.
    TenantAdmin,
    /// Sachbearbeitung: works cases of one authority.
    Clerk,
    /// Team lead: approves decisions (four-eyes principle).
    Approver,
    /// A foreign national using the portal.
    Applicant,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    ManageTenants,
    ViewPlatformHealth,
    ViewMinistryAggregates,
    ManageUsers,
    ViewAuditLog,
    ReadPersonalData,
    WorkCases,
    ApproveDecisions,
    RunReconciliation,
    SubmitApplications,
}

impl Permission {
    pub const ALL: [Permission; 10] = [
        Permission::ManageTenants,
        Permission::ViewPlatformHealth,
        Permission::ViewMinistryAggregates,
        Permission::ManageUsers,
        Permission::ViewAuditLog,
        Permission::ReadPersonalData,
        Permission::WorkCases,
        Permission::ApproveDecisions,
        Permission::RunReconciliation,
        Permission::SubmitApplications,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Permission::ManageTenants => "manage_tenants",
            Permission::ViewPlatformHealth => "view_platform_health",
            Permission::ViewMinistryAggregates => "view_ministry_aggregates",
            Permission::ManageUsers => "manage_users",
            Permission::ViewAuditLog => "view_audit_log",
            Permission::ReadPersonalData => "read_personal_data",
            Permission::WorkCases => "work_cases",
            Permission::ApproveDecisions => "approve_decisions",
            Permission::RunReconciliation => "run_reconciliation",
            Permission::SubmitApplications => "submit_applications",
        }
    }
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::PlatformOperator,
        Role::MinistryAnalyst,
        Role::TenantAdmin,
        Role::Clerk,
        Role::Approver,
        Role::Applicant,
    ];

    /// Roles a tenant admin may hand out inside an authority.
    pub const TENANT_STAFF: [Role; 3] = [Role::TenantAdmin, Role::Clerk, Role::Approver];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::PlatformOperator => "platform_operator",
            Role::MinistryAnalyst => "ministry_analyst",
            Role::TenantAdmin => "tenant_admin",
            Role::Clerk => "clerk",
            Role::Approver => "approver",
            Role::Applicant => "applicant",
        }
    }

    /// Staff sign in with a second factor; applicants do not.
    pub fn is_staff(self) -> bool {
        !matches!(self, Role::Applicant)
    }

    pub fn has(self, permission: Permission) -> bool {
        use Permission as P;
        match self {
            Role::PlatformOperator => matches!(
                permission,
                P::ManageTenants
                    | P::ViewPlatformHealth
                    | P::ViewAuditLog
                    | P::ViewMinistryAggregates
            ),
            Role::MinistryAnalyst => matches!(permission, P::ViewMinistryAggregates),
            Role::TenantAdmin => matches!(
                permission,
                P::ManageUsers
                    | P::ViewAuditLog
                    | P::ReadPersonalData
                    | P::WorkCases
                    | P::RunReconciliation
            ),
            Role::Clerk => matches!(
                permission,
                P::ReadPersonalData | P::WorkCases | P::RunReconciliation
            ),
            Role::Approver => matches!(
                permission,
                P::ReadPersonalData | P::WorkCases | P::ApproveDecisions | P::RunReconciliation
            ),
            Role::Applicant => matches!(permission, P::SubmitApplications),
        }
    }

    /// The permission matrix as a Markdown table, the source of `docs/permissions.md`.
    pub fn matrix_markdown() -> String {
        let mut out = String::from("| permission |");
        for role in Role::ALL {
            out.push_str(&format!(" {} |", role.as_str()));
        }
        out.push_str("\n|---|");
        for _ in Role::ALL {
            out.push_str("---|");
        }
        out.push('\n');
        for permission in Permission::ALL {
            out.push_str(&format!("| {} |", permission.as_str()));
            for role in Role::ALL {
                out.push_str(if role.has(permission) {
                    " ✓ |"
                } else {
                    "   |"
                });
            }
            out.push('\n');
        }
        out
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, thiserror::Error)]
#[error("unknown role `{0}`")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == s)
            .ok_or_else(|| UnknownRole(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_their_names() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>().ok(), Some(role));
        }
        assert!("root".parse::<Role>().is_err());
    }

    #[test]
    fn ministry_sees_aggregates_but_no_personal_data() {
        assert!(Role::MinistryAnalyst.has(Permission::ViewMinistryAggregates));
        assert!(!Role::MinistryAnalyst.has(Permission::ReadPersonalData));
        assert!(!Role::PlatformOperator.has(Permission::ReadPersonalData));
    }

    #[test]
    fn docs_permission_matrix_is_current() {
        let doc = include_str!("../../../docs/permissions.md");
        assert!(
            doc.contains(&Role::matrix_markdown()),
            "docs/permissions.md is stale; paste Role::matrix_markdown() into it"
        );
    }
}
