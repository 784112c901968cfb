//! Roles and the permissions they grant. One table, read by the permission extractor and
//! walked by the permission-matrix test.

use serde::{Deserialize, Serialize};

/// A role held by a user (角色).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 平台管理员: runs the platform.
    PlatformAdmin,
    /// 单位管理员: manages the accounts of one unit.
    UnitAdmin,
    /// 数据专员: a unit's data officer; registers and connects its data.
    DataOfficer,
    /// 审核员: reviews catalog entries and access requests.
    Reviewer,
    /// 场景开发者: builds a data-application scenario.
    ScenarioDeveloper,
    /// 话务员: 12345 hotline operator.
    HotlineOperator,
    /// 承办人: handles work orders for a unit.
    Handler,
    /// 督办员: supervises work orders.
    Supervisor,
    /// 公开专员: government information disclosure officer.
    DisclosureOfficer,
    /// 注册用户: a member of the public registered on the open-data portal; applies for
    /// conditionally opened datasets. No console.
    PublicUser,
}

impl Role {
    pub const ALL: [Role; 10] = [
        Role::PlatformAdmin,
        Role::UnitAdmin,
        Role::DataOfficer,
        Role::Reviewer,
        Role::ScenarioDeveloper,
        Role::HotlineOperator,
        Role::Handler,
        Role::Supervisor,
        Role::DisclosureOfficer,
        Role::PublicUser,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::PlatformAdmin => "platform_admin",
            Role::UnitAdmin => "unit_admin",
            Role::DataOfficer => "data_officer",
            Role::Reviewer => "reviewer",
            Role::ScenarioDeveloper => "scenario_developer",
            Role::HotlineOperator => "hotline_operator",
            Role::Handler => "handler",
            Role::Supervisor => "supervisor",
            Role::DisclosureOfficer => "disclosure_officer",
            Role::PublicUser => "public_user",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Role::PlatformAdmin => "平台管理员",
            Role::UnitAdmin => "单位管理员",
            Role::DataOfficer => "数据专员",
            Role::Reviewer => "审核员",
            Role::ScenarioDeveloper => "场景开发者",
            Role::HotlineOperator => "话务员",
            Role::Handler => "承办人",
            Role::Supervisor => "督办员",
            Role::DisclosureOfficer => "公开专员",
            Role::PublicUser => "注册用户",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Role::PlatformAdmin => "Platform admin",
            Role::UnitAdmin => "Unit admin",
            Role::DataOfficer => "Data officer",
            Role::Reviewer => "Reviewer",
            Role::ScenarioDeveloper => "Scenario developer",
            Role::HotlineOperator => "Hotline operator",
            Role::Handler => "Handler",
            Role::Supervisor => "Supervisor",
            Role::DisclosureOfficer => "Disclosure officer",
            Role::PublicUser => "Registered user",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }

    /// The permissions this role grants.
    pub fn permissions(self) -> &'static [Permission] {
        use Permission::*;
        match self {
            Role::PlatformAdmin => &[
                ConsoleAccess,
                UnitsRead,
                UnitsWrite,
                UsersRead,
                UsersWrite,
                CalendarWrite,
                CatalogRead,
                CatalogWrite,
                CatalogReview,
                HotlineRead,
                HotlineIntake,
                HotlineSupervise,
                Open311Keys,
                LakeRead,
                LakeIngest,
                LakeQuery,
                LakeAdmin,
                ShareRead,
                ShareRequest,
                ShareReview,
                ShareAdmin,
                OpenReview,
                OpenAdmin,
            ],
            Role::UnitAdmin => &[
                ConsoleAccess,
                UnitsRead,
                UsersRead,
                UsersWrite,
                CatalogRead,
                CatalogWrite,
                LakeRead,
                LakeIngest,
                ShareRead,
                ShareRequest,
            ],
            Role::DataOfficer => &[
                ConsoleAccess,
                UnitsRead,
                CatalogRead,
                CatalogWrite,
                LakeRead,
                LakeIngest,
                ShareRead,
            ],
            Role::Reviewer => &[
                ConsoleAccess,
                UnitsRead,
                CatalogRead,
                CatalogReview,
                LakeRead,
                LakeQuery,
                ShareRead,
                ShareReview,
                OpenReview,
            ],
            Role::ScenarioDeveloper => &[
                ConsoleAccess,
                UnitsRead,
                CatalogRead,
                ShareRead,
                ShareRequest,
            ],
            Role::HotlineOperator => &[ConsoleAccess, UnitsRead, HotlineRead, HotlineIntake],
            Role::Handler => &[ConsoleAccess, UnitsRead, HotlineRead, HotlineHandle],
            Role::Supervisor => &[
                ConsoleAccess,
                UnitsRead,
                HotlineRead,
                HotlineSupervise,
                Open311Keys,
            ],
            Role::DisclosureOfficer => &[ConsoleAccess, UnitsRead, CatalogRead],
            Role::PublicUser => &[OpenApply],
        }
    }
}

/// Something a request may be allowed to do. Handlers ask for exactly one.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// Open the staff console, the dashboard and one's own account and tokens.
    ConsoleAccess,
    UnitsRead,
    UnitsWrite,
    UsersRead,
    UsersWrite,
    /// Add or change working-day calendar days.
    CalendarWrite,
    CatalogRead,
    CatalogWrite,
    CatalogReview,
    HotlineRead,
    /// Create and dispatch work orders (话务员).
    HotlineIntake,
    /// Sign, handle, reply, return, ask for extension (承办单位).
    HotlineHandle,
    /// Supervise, approve extensions, statistics (督办).
    HotlineSupervise,
    /// Issue Open311 API keys.
    Open311Keys,
    /// See lake tables, ingest jobs, quality reports and quarantine (own unit's, or all for staff).
    LakeRead,
    /// Load data into own unit's tables, manage their rules, pulls and settings.
    LakeIngest,
    /// Run SQL over every lake table (platform staff).
    LakeQuery,
    /// Compact and vacuum tables.
    LakeAdmin,
    /// See scenarios, and the requests, grants and usage of one's own unit (both sides).
    ShareRead,
    /// Register scenarios of one's unit, request access, issue scenario tokens.
    ShareRequest,
    /// Decide access requests to one's unit's resources, revoke their grants.
    ShareReview,
    /// The platform's side of sharing: escalations, settings, all usage, the audit log.
    ShareAdmin,
    /// Apply for conditionally opened datasets and hold open-data app keys (registered
    /// members of the public).
    OpenApply,
    /// Decide applications for one's unit's conditionally opened datasets.
    OpenReview,
    /// The platform's side of the open-data portal: every application, statistics.
    OpenAdmin,
}

impl Permission {
    pub const ALL: [Permission; 25] = [
        Permission::ConsoleAccess,
        Permission::UnitsRead,
        Permission::UnitsWrite,
        Permission::UsersRead,
        Permission::UsersWrite,
        Permission::CalendarWrite,
        Permission::CatalogRead,
        Permission::CatalogWrite,
        Permission::CatalogReview,
        Permission::HotlineRead,
        Permission::HotlineIntake,
        Permission::HotlineHandle,
        Permission::HotlineSupervise,
        Permission::Open311Keys,
        Permission::LakeRead,
        Permission::LakeIngest,
        Permission::LakeQuery,
        Permission::LakeAdmin,
        Permission::ShareRead,
        Permission::ShareRequest,
        Permission::ShareReview,
        Permission::ShareAdmin,
        Permission::OpenApply,
        Permission::OpenReview,
        Permission::OpenAdmin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Permission::ConsoleAccess => "console_access",
            Permission::UnitsRead => "units_read",
            Permission::UnitsWrite => "units_write",
            Permission::UsersRead => "users_read",
            Permission::UsersWrite => "users_write",
            Permission::CalendarWrite => "calendar_write",
            Permission::CatalogRead => "catalog_read",
            Permission::CatalogWrite => "catalog_write",
            Permission::CatalogReview => "catalog_review",
            Permission::HotlineRead => "hotline_read",
            Permission::HotlineIntake => "hotline_intake",
            Permission::HotlineHandle => "hotline_handle",
            Permission::HotlineSupervise => "hotline_supervise",
            Permission::Open311Keys => "open311_keys",
            Permission::LakeRead => "lake_read",
            Permission::LakeIngest => "lake_ingest",
            Permission::LakeQuery => "lake_query",
            Permission::LakeAdmin => "lake_admin",
            Permission::ShareRead => "share_read",
            Permission::ShareRequest => "share_request",
            Permission::ShareReview => "share_review",
            Permission::ShareAdmin => "share_admin",
            Permission::OpenApply => "open_apply",
            Permission::OpenReview => "open_review",
            Permission::OpenAdmin => "open_admin",
        }
    }

    pub fn parse(s: &str) -> Option<Permission> {
        Permission::ALL.into_iter().find(|p| p.as_str() == s.trim())
    }
}

/// The set of permissions of a set of roles.
pub fn permissions_of(roles: &[Role]) -> Vec<Permission> {
    let mut out: Vec<Permission> = roles
        .iter()
        .flat_map(|r| r.permissions().iter().copied())
        .collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_and_permission_round_trips() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
            // Every staff role opens the console; a registered member of the public does not.
            assert_eq!(
                r.permissions().contains(&Permission::ConsoleAccess),
                r != Role::PublicUser
            );
        }
        for p in Permission::ALL {
            assert_eq!(Permission::parse(p.as_str()), Some(p));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn admin_has_units_write_officer_does_not() {
        assert!(permissions_of(&[Role::PlatformAdmin]).contains(&Permission::UnitsWrite));
        assert!(!permissions_of(&[Role::DataOfficer]).contains(&Permission::UnitsWrite));
        let both = permissions_of(&[Role::DataOfficer, Role::Reviewer]);
        assert!(
            both.contains(&Permission::CatalogWrite) && both.contains(&Permission::CatalogReview)
        );
    }
}
