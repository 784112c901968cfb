//! 群团组织: trade unions, youth league, women's federation, science association, chamber of
//! commerce, Red Cross and party-and-people service centres.

use super::basis::*;
use super::{DemoItem, DemoResource};

/// The resources of every mass organisation.
pub(super) const RESOURCES: &[DemoResource] = resources! {
    "基层组织信息" {
        "基层工会、团组织、妇联组织等群团基层组织的名称、成立日期、所属单位和会员人数。"
        "210001" "主题" "政务管理" "电子表格" "每季度" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        org_name "组织名称" string(200) none;
        org_type "组织类型" string(50) none;
        host_unit "所在单位" string(200) none;
        founded_on "成立日期" date none;
        members "会员（团员）人数" integer none;
        street "所属街道" string(20) none;
    }
    "会员（团员）信息" {
        "工会会员、共青团员等的入会入团、组织关系和会籍状态。"
        "329002" "部门" "政务管理" "数据库" "每月" "重要"
        "有条件共享" SC_PERSON ""
        "不予开放" ""
        name "姓名" string(50) name;
        id_no "身份证号码" string(18) resident_id;
        mobile "手机号码" string(11) mobile;
        org_name "所在组织" string(200) none;
        joined_on "入会（入团）日期" date none;
        status "会籍状态" string(10) none;
    }
    "困难群体帮扶信息" {
        "困难职工、困境妇女儿童、困难青少年的建档和帮扶救助记录。"
        "202003" "主题" "社会保障" "数据库" "每月" "重要"
        "有条件共享" SC_ASSIST ""
        "不予开放" ""
        name "姓名" string(50) name;
        id_no "身份证号码" string(18) resident_id;
        group_type "帮扶对象类别" string(50) none;
        difficulty "困难原因" string(200) other;
        aid_type "帮扶方式" string(50) none;
        amount "帮扶金额（元）" number none;
        aided_on "帮扶日期" date none;
    }
    "志愿者及志愿服务信息" {
        "注册志愿者、志愿服务组织和志愿服务时长记录。"
        "329004" "部门" "公共服务" "数据库" "每日" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        volunteer_no "志愿者编号" string(30) none;
        name "姓名" string(50) name;
        mobile "手机号码" string(11) mobile;
        team "所属志愿服务组织" string(200) none;
        hours "累计服务时长（小时）" number none;
        registered_on "注册日期" date none;
    }
    "志愿服务活动信息" {
        "志愿服务活动的名称、时间、地点、招募人数和报名方式。"
        "201005" "主题" "公共服务" "自描述格式" "每日" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        activity_name "活动名称" string(200) none;
        organiser "发布组织" string(200) none;
        venue "活动地点" string(200) none;
        starts_at "开始时间" datetime none;
        ends_at "结束时间" datetime none;
        recruits "招募人数" integer none;
        signup "报名方式" string(200) none;
    }
    "党群服务中心阵地信息" {
        "区、街道、社区党群服务中心和工会驿站、妇女儿童之家等服务阵地的位置和开放时间。"
        "201006" "主题" "公共服务" "电子表格" "每季度" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        site_name "阵地名称" string(200) none;
        site_type "阵地类型" string(50) none;
        address "地址" string(200) none;
        opening_hours "开放时间" string(100) none;
        services "服务项目" string(500) none;
        longitude "经度" number none;
        latitude "纬度" number none;
    }
    "职工法律援助及劳动争议调解信息" {
        "工会为职工提供的法律咨询、法律援助和劳动争议调解记录。"
        "329007" "部门" "社会保障" "电子表格" "每月" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        case_no "案件编号" string(30) none;
        worker_name "职工姓名" string(50) name;
        employer "用人单位" string(200) none;
        dispute_type "争议类型" string(50) none;
        result "处理结果" string(200) none;
        closed_on "结案日期" date none;
    }
    "捐赠款物接收使用信息" {
        "接收社会捐赠款物的来源、金额、用途和使用情况，依法向社会公开。"
        "201008" "主题" "公共服务" "电子表格" "每季度" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        receipt_no "收据编号" string(30) none;
        donor "捐赠方" string(200) none "个人捐赠者可选择匿名";
        amount "捐赠金额（元）" number none;
        goods "捐赠物资" string(500) none;
        purpose "指定用途" string(200) none;
        received_on "接收日期" date none;
    }
    "科普教育基地信息" {
        "各级科普教育基地的名称、类别、开放时间和预约方式。"
        "206009" "主题" "教育文化" "电子表格" "每年" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        base_name "基地名称" string(200) none;
        category "类别" string(50) none;
        level "级别" string(20) none;
        address "地址" string(200) none;
        opening_hours "开放时间" string(100) none;
        booking "预约方式" string(200) none;
    }
    "商会及会员企业信息" {
        "工商联所属商会、行业协会和会员企业的名称、行业和规模。"
        "205010" "主题" "经济发展" "电子表格" "每季度" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        chamber "商会名称" string(200) none;
        ent_name "会员企业" string(200) none;
        uscc "统一社会信用代码" string(18) none;
        industry "行业" string(100) none;
        joined_on "入会日期" date none;
    }
    "造血干细胞及无偿献血志愿者信息" {
        "红十字会登记的造血干细胞捐献志愿者和无偿献血者信息。"
        "329011" "部门" "医疗卫生" "数据库" "每月" "重要"
        "不予共享" "" NB_SENSITIVE
        "不予开放" ""
        name "姓名" string(50) name;
        id_no "身份证号码" string(18) resident_id;
        mobile "手机号码" string(11) mobile;
        blood_type "血型" string(5) other;
        hla_typed "是否完成HLA分型" boolean other;
        registered_on "登记日期" date none;
    }
};
