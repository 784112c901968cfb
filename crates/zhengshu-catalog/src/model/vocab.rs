//! The controlled vocabularies of a catalog entry (GB/T 21063 and GB/T 43697), each with
//! a stable code (stored, used in the API) and its Chinese and English labels.

/// Defines a vocabulary enum: code, Chinese label, English label per variant.
macro_rules! vocab {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = ($code:literal, $zh:literal, $en:literal)),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable code stored in the database.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// The Chinese label (as in the national template).
            pub fn label_zh(self) -> &'static str {
                match self { $($name::$variant => $zh),+ }
            }

            pub fn label_en(self) -> &'static str {
                match self { $($name::$variant => $en),+ }
            }

            /// Accepts the code or the Chinese label.
            pub fn parse(s: &str) -> Option<$name> {
                let s = s.trim();
                Self::ALL.iter().copied().find(|v| v.as_str().eq_ignore_ascii_case(s) || v.label_zh() == s)
            }

            /// The accepted values, for error messages.
            pub fn expected() -> String {
                Self::ALL.iter().map(|v| v.label_zh()).collect::<Vec<_>>().join("/")
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

vocab!(
    /// 目录类型: which part of the catalog a resource belongs to; the first digit of its
    /// classification code (类) says the same.
    CatalogType {
        /// 基础信息资源: population, legal entities, geography, credit, e-licences.
        Basic = ("basic", "基础", "Basic"),
        /// 主题信息资源: e.g. 公共服务, 社会保障, 生态环保.
        Thematic = ("thematic", "主题", "Thematic"),
        /// 部门信息资源: a unit's own business data.
        Department = ("department", "部门", "Department"),
    }
);

impl CatalogType {
    /// The first digit (类) of classification codes of this type.
    pub fn class_digit(self) -> char {
        match self {
            CatalogType::Basic => '1',
            CatalogType::Thematic => '2',
            CatalogType::Department => '3',
        }
    }

    pub fn from_class_digit(c: char) -> Option<CatalogType> {
        CatalogType::ALL
            .iter()
            .copied()
            .find(|t| t.class_digit() == c)
    }
}

vocab!(
    /// 资源格式.
    ResourceFormat {
        ElectronicFile = ("electronic_file", "电子文件", "Electronic file"),
        Spreadsheet = ("spreadsheet", "电子表格", "Spreadsheet"),
        Database = ("database", "数据库", "Database"),
        Image = ("image", "图形图像", "Image"),
        Streaming = ("streaming", "流媒体", "Streaming media"),
        SelfDescribing = ("self_describing", "自描述格式", "Self-describing"),
        ServiceApi = ("service_api", "服务接口", "Service API"),
    }
);

vocab!(
    /// 共享类型: sharing is the rule, not sharing the exception.
    SharingType {
        /// 无条件共享: to any government unit.
        Unconditional = ("unconditional", "无条件共享", "Unconditional sharing"),
        /// 有条件共享: shared only after the provider approves; conditions required.
        Conditional = ("conditional", "有条件共享", "Conditional sharing"),
        /// 不予共享: needs a basis in law, regulation or national policy.
        NotShared = ("not_shared", "不予共享", "Not shared"),
    }
);

vocab!(
    /// 共享方式.
    ShareMethod {
        Api = ("api", "接口", "API"),
        File = ("file", "文件", "File"),
        Table = ("table", "库表", "Database table"),
    }
);

vocab!(
    /// 开放类型: whether the public may see and download it.
    OpenType {
        /// 无条件开放.
        Unconditional = ("unconditional", "无条件开放", "Open"),
        /// 有条件开放: conditions required.
        Conditional = ("conditional", "有条件开放", "Conditionally open"),
        /// 不予开放: needs a legal basis.
        NotOpen = ("not_open", "不予开放", "Not open"),
    }
);

impl OpenType {
    /// Whether the public portal lists resources of this type.
    pub fn is_public(self) -> bool {
        self != OpenType::NotOpen
    }
}

vocab!(
    /// 更新周期.
    UpdateCycle {
        Realtime = ("realtime", "实时", "Real time"),
        Daily = ("daily", "每日", "Daily"),
        Weekly = ("weekly", "每周", "Weekly"),
        Monthly = ("monthly", "每月", "Monthly"),
        Quarterly = ("quarterly", "每季度", "Quarterly"),
        HalfYearly = ("half_yearly", "每半年", "Every six months"),
        Yearly = ("yearly", "每年", "Yearly"),
        Other = ("other", "其他", "Other"),
    }
);

impl UpdateCycle {
    /// The EU frequency vocabulary IRI used in DCAT-AP (`dct:accrualPeriodicity`).
    pub fn eu_frequency(self) -> &'static str {
        match self {
            UpdateCycle::Realtime => {
                "http://publications.europa.eu/resource/authority/frequency/UPDATE_CONT"
            }
            UpdateCycle::Daily => {
                "http://publications.europa.eu/resource/authority/frequency/DAILY"
            }
            UpdateCycle::Weekly => {
                "http://publications.europa.eu/resource/authority/frequency/WEEKLY"
            }
            UpdateCycle::Monthly => {
                "http://publications.europa.eu/resource/authority/frequency/MONTHLY"
            }
            UpdateCycle::Quarterly => {
                "http://publications.europa.eu/resource/authority/frequency/QUARTERLY"
            }
            UpdateCycle::HalfYearly => {
                "http://publications.europa.eu/resource/authority/frequency/ANNUAL_2"
            }
            UpdateCycle::Yearly => {
                "http://publications.europa.eu/resource/authority/frequency/ANNUAL"
            }
            UpdateCycle::Other => {
                "http://publications.europa.eu/resource/authority/frequency/OTHER"
            }
        }
    }
}

vocab!(
    /// 数据分级 (GB/T 43697-2024).
    SecurityGrade {
        /// 核心数据: never opened.
        Core = ("core", "核心", "Core"),
        Important = ("important", "重要", "Important"),
        General = ("general", "一般", "General"),
    }
);

vocab!(
    /// 状态: the lifecycle of an entry. draft → submitted → published (or returned) → deprecated.
    Status {
        /// 草稿.
        Draft = ("draft", "草稿", "Draft"),
        /// 待审核.
        Submitted = ("submitted", "待审核", "Submitted"),
        /// 已退回: back to the provider with the reviewer's comment.
        Returned = ("returned", "已退回", "Returned"),
        /// 已发布.
        Published = ("published", "已发布", "Published"),
        /// 已废止.
        Deprecated = ("deprecated", "已废止", "Deprecated"),
    }
);

impl Status {
    /// The provider may edit the entry.
    pub fn is_editable(self) -> bool {
        matches!(self, Status::Draft | Status::Returned)
    }

    /// CSS badge class.
    pub fn badge(self) -> &'static str {
        match self {
            Status::Draft => "muted",
            Status::Submitted => "warn",
            Status::Returned => "danger",
            Status::Published => "ok",
            Status::Deprecated => "muted",
        }
    }
}

vocab!(
    /// 数据类型 of a data item (信息项), mapped to Table Schema types in datapackage.json.
    DataType {
        String = ("string", "字符型", "Text"),
        Integer = ("integer", "整数型", "Integer"),
        Number = ("number", "数值型", "Number"),
        Date = ("date", "日期型", "Date"),
        Datetime = ("datetime", "日期时间型", "Date and time"),
        Boolean = ("boolean", "布尔型", "Boolean"),
        Binary = ("binary", "二进制", "Binary"),
    }
);

impl DataType {
    /// The Frictionless Table Schema field type (and format, if any).
    pub fn table_schema(self) -> (&'static str, Option<&'static str>) {
        match self {
            DataType::String => ("string", None),
            DataType::Integer => ("integer", None),
            DataType::Number => ("number", None),
            DataType::Date => ("date", None),
            DataType::Datetime => ("datetime", None),
            DataType::Boolean => ("boolean", None),
            DataType::Binary => ("string", Some("binary")),
        }
    }
}

vocab!(
    /// A change recorded in the version history.
    Action {
        Create = ("create", "创建", "Created"),
        Update = ("update", "修改", "Edited"),
        Submit = ("submit", "提交审核", "Submitted"),
        Approve = ("approve", "审核通过", "Approved"),
        Return = ("return", "退回", "Returned"),
        Deprecate = ("deprecate", "废止", "Deprecated"),
        Import = ("import", "批量导入", "Imported"),
        Publish = ("publish", "直接发布", "Published directly"),
    }
);
