//! 住房和建设: construction projects, housing security, property management, safety.

use super::basis::*;
use super::{DemoItem, DemoResource};

/// The resources of every housing-and-construction unit.
pub(super) const RESOURCES: &[DemoResource] = resources! {
    "建筑工程施工许可信息" {
        "房屋建筑和市政基础设施工程施工许可证的核发信息，包括建设单位、施工单位、工程规模和合同工期。"
        "105001" "基础" "城市建设" "数据库" "每日" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        permit_no "施工许可证编号" string(30) none;
        project_name "工程名称" string(200) none;
        builder "建设单位" string(200) none;
        contractor "施工单位" string(200) none;
        supervisor "监理单位" string(200) none;
        location "建设地址" string(200) none;
        floor_area "建筑面积（平方米）" number none;
        contract_price "合同价格（万元）" number none;
        issued_on "发证日期" date none;
    }
    "在建工程项目信息" {
        "辖区在建房屋建筑和市政工程的进度、形象进度和参建单位，用于安全质量监管。"
        "204002" "主题" "城市建设" "数据库" "每周" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        project_code "项目编号" string(30) none;
        project_name "项目名称" string(200) none;
        builder "建设单位" string(200) none;
        contractor "施工总承包单位" string(200) none;
        project_manager "项目经理" string(50) name;
        progress "形象进度" string(200) none;
        street "所属街道" string(20) none;
        longitude "经度" number none;
        latitude "纬度" number none;
    }
    "建筑业企业资质信息" {
        "建筑业企业资质证书的等级、资质类别和有效期。"
        "105003" "基础" "经济发展" "数据库" "每周" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        cert_no "资质证书编号" string(30) none;
        ent_name "企业名称" string(200) none;
        uscc "统一社会信用代码" string(18) none;
        qualification "资质类别及等级" string(500) none;
        issued_on "发证日期" date none;
        valid_until "有效期至" date none;
    }
    "建筑工人实名制信息" {
        "施工现场建筑工人实名登记、考勤和工资支付记录，用于保障农民工工资支付。"
        "309004" "部门" "社会保障" "数据库" "每日" "重要"
        "有条件共享" SC_PERSON ""
        "不予开放" ""
        worker_name "工人姓名" string(50) name;
        id_no "身份证号码" string(18) resident_id;
        mobile "手机号码" string(11) mobile;
        project_name "所在项目" string(200) none;
        trade "工种" string(20) none;
        attendance_days "当月出勤天数" integer none;
        wage_paid "当月实发工资（元）" number none;
        bank_account "工资卡银行账号" string(30) bank_card;
    }
    "保障性住房轮候信息" {
        "公共租赁住房、保障性租赁住房和共有产权住房的申请轮候、资格审核和配租配售结果。"
        "202005" "主题" "社会保障" "数据库" "每日" "重要"
        "有条件共享" SC_PERSON ""
        "不予开放" ""
        application_no "轮候编号" string(30) none;
        applicant "申请人姓名" string(50) name;
        id_no "申请人身份证号码" string(18) resident_id;
        mobile "手机号码" string(11) mobile;
        household_size "家庭人数" integer none;
        housing_type "申请房源类型" string(20) none;
        queue_position "轮候排位" integer none;
        result "审核结果" string(20) none;
    }
    "保障性住房房源信息" {
        "已建成保障性住房项目的房源套数、户型、租金标准和分配情况。"
        "202006" "主题" "社会保障" "电子表格" "每月" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        project_name "项目名称" string(200) none;
        address "项目地址" string(200) none;
        housing_type "房源类型" string(20) none;
        units "房源套数" integer none;
        layout "户型" string(100) none;
        rent_standard "租金标准（元/平方米·月）" number none;
        allocated "已分配套数" integer none;
    }
    "商品房预售许可信息" {
        "商品房预售许可证的核发信息，包括项目名称、预售楼栋、套数和面积。"
        "204007" "主题" "城市建设" "电子表格" "每周" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        permit_no "预售许可证号" string(30) none;
        project_name "项目名称" string(200) none;
        developer "开发企业" string(200) none;
        buildings "预售楼栋" string(200) none;
        units "预售套数" integer none;
        area "预售面积（平方米）" number none;
        issued_on "批准日期" date none;
    }
    "房屋租赁合同备案信息" {
        "房屋租赁合同网签备案信息，用于租赁市场监测和居住证、学位等业务核验。"
        "309008" "部门" "城市建设" "数据库" "每日" "重要"
        "有条件共享" SC_VERIFY ""
        "不予开放" ""
        filing_no "备案编号" string(30) none;
        house_address "房屋地址" string(200) none;
        lessor_name "出租人姓名" string(100) name;
        lessee_name "承租人姓名" string(100) name;
        lessee_id_no "承租人身份证号码" string(18) resident_id;
        monthly_rent "月租金（元）" number none;
        starts_on "租赁起始日期" date none;
        ends_on "租赁截止日期" date none;
    }
    "物业服务企业及项目信息" {
        "物业服务企业、物业服务项目和业主委员会备案信息。"
        "204009" "主题" "城市建设" "电子表格" "每季度" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        project_name "物业项目名称" string(200) none;
        address "项目地址" string(200) none;
        company "物业服务企业" string(200) none;
        uscc "统一社会信用代码" string(18) none;
        fee_standard "物业费标准（元/平方米·月）" number none;
        owners_committee "是否成立业主委员会" boolean none;
    }
    "建设工程质量安全监督信息" {
        "工程质量安全监督登记、监督检查记录、隐患整改和停工整改通知。"
        "309010" "部门" "公共安全" "数据库" "每日" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        record_no "监督记录编号" string(30) none;
        project_name "工程名称" string(200) none;
        checked_on "检查日期" date none;
        hazard "发现问题" string(1000) none;
        measure "处理措施" string(200) none;
        rectified "是否完成整改" boolean none;
        inspector "监督员" string(50) none;
    }
    "燃气用户安全检查信息" {
        "管道燃气和瓶装燃气用户的入户安全检查、隐患和整改情况。"
        "309011" "部门" "公共安全" "数据库" "每日" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        user_no "用户编号" string(30) none;
        address "用户地址" string(200) address;
        user_type "用户类型" string(20) none;
        checked_on "检查日期" date none;
        hazard "隐患描述" string(500) none;
        rectified "是否整改" boolean none;
    }
    "既有建筑安全排查信息" {
        "老旧建筑、城中村自建房和玻璃幕墙等既有建筑的安全排查和鉴定结果。"
        "209012" "主题" "公共安全" "数据库" "每月" "重要"
        "无条件共享" "" ""
        "不予开放" ""
        building_code "建筑物编码" string(30) none;
        address "建筑地址" string(200) none;
        structure "结构类型" string(20) none;
        floors "层数" integer none;
        built_year "建成年份" integer none;
        appraisal "鉴定等级" string(10) none "A、B、C、D";
        measure "处置措施" string(200) none;
    }
    "老旧小区改造项目信息" {
        "列入计划的老旧小区改造项目的改造内容、投资和实施进度。"
        "204013" "主题" "城市建设" "电子表格" "每季度" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        estate_name "小区名称" string(200) none;
        street "所属街道" string(20) none;
        households "涉及户数" integer none;
        content "改造内容" string(1000) none;
        investment "投资额（万元）" number none;
        progress "实施进度" string(50) none;
    }
    "政府投资项目建设信息" {
        "政府投资的学校、医院、道路等项目的立项、招标、建设和竣工验收信息。"
        "204014" "主题" "城市建设" "数据库" "每周" "一般"
        "无条件共享" "" ""
        "有条件开放" OC_REGISTER
        project_code "项目代码" string(30) none;
        project_name "项目名称" string(200) none;
        category "项目类别" string(50) none;
        total_investment "总投资（万元）" number none;
        stage "建设阶段" string(20) none;
        started_on "开工日期" date none;
        completed_on "竣工日期" date none;
    }
};
