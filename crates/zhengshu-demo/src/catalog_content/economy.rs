//! 经济: development and reform, science and technology, industry, commerce, state assets.

use super::basis::*;
use super::{DemoItem, DemoResource};

/// The resources of every economic unit.
pub(super) const RESOURCES: &[DemoResource] = resources! {
    "投资项目审批核准备案信息" {
        "企业和政府投资项目的审批、核准和备案信息，包括项目代码、建设内容和总投资。"
        "205001" "主题" "经济发展" "数据库" "每日" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        project_code "项目代码" string(30) none;
        project_name "项目名称" string(200) none;
        owner "项目单位" string(200) none;
        uscc "统一社会信用代码" string(18) none;
        approval_type "审批类型" string(10) none "审批、核准、备案";
        content "建设规模及内容" string(2000) none;
        total_investment "总投资（万元）" number none;
        approved_on "办理日期" date none;
    }
    "重大项目建设进展信息" {
        "市区重大项目的年度计划投资、完成投资和形象进度。"
        "205002" "主题" "经济发展" "电子表格" "每月" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        project_name "项目名称" string(200) none;
        category "项目类别" string(50) none;
        planned_investment "年度计划投资（亿元）" number none;
        completed_investment "累计完成投资（亿元）" number none;
        progress "形象进度" string(200) none;
        street "所在街道" string(20) none;
    }
    "高新技术企业名录" {
        "经认定的国家高新技术企业名单、证书编号和有效期。"
        "205003" "主题" "经济发展" "电子表格" "每年" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        cert_no "证书编号" string(30) none;
        ent_name "企业名称" string(200) none;
        uscc "统一社会信用代码" string(18) none;
        field "技术领域" string(100) none;
        issued_on "发证日期" date none;
        valid_until "有效期至" date none;
    }
    "科技计划项目信息" {
        "各类科技计划项目的立项、资助金额、承担单位和验收情况。"
        "205004" "主题" "经济发展" "数据库" "每季度" "一般"
        "无条件共享" "" ""
        "有条件开放" OC_REGISTER
        project_no "项目编号" string(30) none;
        project_name "项目名称" string(200) none;
        undertaker "承担单位" string(200) none;
        leader "项目负责人" string(50) name;
        program "计划类别" string(100) none;
        funding "资助金额（万元）" number none;
        status "项目状态" string(20) none;
    }
    "专精特新中小企业名录" {
        "认定的专精特新中小企业、专精特新\"小巨人\"企业名单。"
        "205005" "主题" "经济发展" "电子表格" "每年" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        ent_name "企业名称" string(200) none;
        uscc "统一社会信用代码" string(18) none;
        level "认定层级" string(20) none;
        main_product "主导产品" string(200) none;
        recognised_year "认定年度" integer none;
    }
    "规模以上工业企业运行监测信息" {
        "重点工业企业产值、用电、订单和用工的月度监测数据。"
        "330006" "部门" "经济发展" "数据库" "每月" "重要"
        "无条件共享" "" ""
        "不予开放" ""
        uscc "统一社会信用代码" string(18) none;
        ent_name "企业名称" string(200) none;
        stat_month "统计月份" string(7) none;
        output_value "产值（万元）" number none;
        electricity "用电量（万千瓦时）" number none;
        employees "用工人数" integer none;
        orders_trend "订单情况" string(20) none;
    }
    "产业扶持资金申报信息" {
        "企业申报产业发展专项资金的项目、申请金额、评审结果和拨付情况。"
        "330007" "部门" "经济发展" "数据库" "每日" "重要"
        "有条件共享" SC_ENTERPRISE ""
        "不予开放" ""
        application_no "申报编号" string(30) none;
        ent_name "申报企业" string(200) none;
        uscc "统一社会信用代码" string(18) none;
        program "扶持项目" string(200) none;
        requested "申请金额（万元）" number none;
        granted "资助金额（万元）" number none;
        contact "联系人" string(50) name;
        mobile "联系人手机号码" string(11) mobile;
    }
    "产业园区信息" {
        "产业园区、科技园和孵化器的名称、面积、主导产业、入驻企业数和招商空间。"
        "205008" "主题" "经济发展" "电子表格" "每季度" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        park_name "园区名称" string(200) none;
        park_type "园区类型" string(50) none;
        address "地址" string(200) none;
        area_m2 "建筑面积（平方米）" number none;
        industries "主导产业" string(200) none;
        tenants "入驻企业数" integer none;
        vacant_m2 "可招商面积（平方米）" number none;
    }
    "重点企业服务诉求信息" {
        "企业服务平台和挂点服务收集的企业用地、用工、融资和政策诉求及办理结果。"
        "330009" "部门" "经济发展" "数据库" "每日" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        request_no "诉求编号" string(30) none;
        ent_name "企业名称" string(200) none;
        category "诉求类别" string(50) none;
        content "诉求内容" string(2000) none;
        handler "承办单位" string(100) none;
        result "办理结果" string(1000) none;
        closed_on "办结日期" date none;
    }
    "招商引资项目信息" {
        "在谈、签约和落地的招商引资项目的投资方、投资额和产业领域。"
        "330010" "部门" "经济发展" "电子表格" "每月" "重要"
        "有条件共享" SC_DUTY ""
        "不予开放" ""
        project_name "项目名称" string(200) none;
        investor "投资方" string(200) none;
        industry "产业领域" string(100) none;
        investment "计划投资额（亿元）" number none;
        stage "项目阶段" string(20) none "在谈、签约、落地";
        signed_on "签约日期" date none;
    }
    "商贸流通企业信息" {
        "大型商场、连锁超市、农贸市场等商贸流通企业和网点分布。"
        "205011" "主题" "经济发展" "电子表格" "每季度" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        ent_name "企业名称" string(200) none;
        outlet_type "业态" string(50) none;
        address "地址" string(200) none;
        area_m2 "营业面积（平方米）" number none;
        street "所在街道" string(20) none;
        longitude "经度" number none;
        latitude "纬度" number none;
    }
    "外商投资企业信息" {
        "外商投资企业设立、变更的信息报告和合同外资、实际使用外资。"
        "205012" "主题" "经济发展" "数据库" "每月" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        ent_name "企业名称" string(200) none;
        uscc "统一社会信用代码" string(18) none;
        investor_country "投资方国别（地区）" string(50) none;
        contracted_usd "合同外资（万美元）" number none;
        actual_usd "实际使用外资（万美元）" number none;
        reported_on "报告日期" date none;
    }
    "国有企业基本信息" {
        "国有及国有控股企业的出资关系、注册资本、主营业务和经营指标。"
        "102013" "基础" "经济发展" "数据库" "每季度" "重要"
        "无条件共享" "" ""
        "不予开放" ""
        ent_name "企业名称" string(200) none;
        uscc "统一社会信用代码" string(18) none;
        investor "出资人" string(200) none;
        share_ratio "国有持股比例" number none;
        reg_capital "注册资本（万元）" number none;
        main_business "主营业务" string(500) none;
        total_assets "资产总额（亿元）" number none;
    }
    "价格收费目录信息" {
        "政府定价、政府指导价的商品和服务价格、行政事业性收费目录。"
        "201014" "主题" "公共服务" "电子表格" "每年" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        item_name "项目名称" string(200) none;
        price_form "定价形式" string(20) none;
        standard "收费标准" string(500) none;
        basis "定价依据" string(200) none;
        department "定价部门" string(100) none;
        effective_on "执行日期" date none;
    }
    "能源消费统计信息" {
        "重点用能单位能源消费量、单位增加值能耗和节能目标完成情况。"
        "203015" "主题" "生态环保" "电子表格" "每季度" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        unit_name "用能单位" string(200) none;
        uscc "统一社会信用代码" string(18) none;
        period "统计期" string(10) none;
        energy_tce "综合能源消费量（吨标准煤）" number none;
        intensity "单位增加值能耗" number none;
    }
    "企业研发投入信息" {
        "企业研发费用、研发人员和研发机构建设情况。"
        "330016" "部门" "经济发展" "数据库" "每年" "重要"
        "有条件共享" SC_ENTERPRISE ""
        "不予开放" ""
        uscc "统一社会信用代码" string(18) none;
        ent_name "企业名称" string(200) none;
        report_year "年度" integer none;
        rd_expense "研发费用（万元）" number none;
        rd_staff "研发人员数" integer none;
        rd_institution "是否建有研发机构" boolean none;
    }
};
