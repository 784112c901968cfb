//! One marker type per [`Permission`], for `Authorized<perm::X>`.

use zhengshu_auth::Permission;

/// Names the permission a handler requires.
pub trait RequiredPermission: Send + Sync + 'static {
    const PERMISSION: Permission;
}

macro_rules! markers {
    ($($name:ident),* $(,)?) => {
        $(
            #[doc = concat!("Requires `Permission::", stringify!($name), "`.")]
            #[derive(Debug, Clone, Copy)]
            pub struct $name;
            impl RequiredPermission for $name {
                const PERMISSION: Permission = Permission::$name;
            }
        )*
    };
}

markers!(
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
    HotlineHandle,
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
    OpenApply,
    OpenReview,
    OpenAdmin,
);
