//! 市场监管: market entities, licences, inspections, product and food safety.

use super::basis::*;
use super::{DemoItem, DemoResource};

/// The resources of every market-regulation unit.
pub(super) const RESOURCES: &[DemoResource] = resources! {
    "企业登记信息" {
        "辖区内各类企业设立、变更、注销登记的基本信息，包括统一社会信用代码、企业名称、类型、注册资本、经营范围和登记状态等。"
        "102001" "基础" "经济发展" "数据库" "每日" "重要"
        "无条件共享" "" ""
        "有条件开放" OC_PUBLICITY
        uscc "统一社会信用代码" string(18) none;
        ent_name "企业名称" string(200) none;
        ent_type "企业类型" string(50) none "按《市场主体登记管理条例》分类";
        legal_rep "法定代表人" string(50) name;
        reg_capital "注册资本（万元）" number none;
        established_on "成立日期" date none;
        business_scope "经营范围" string(2000) none;
        domicile "住所" string(200) none "企业登记住所";
        reg_authority "登记机关" string(100) none;
        reg_status "登记状态" string(20) none "存续、在业、吊销、注销、迁出";
        approved_on "核准日期" date none;
    }
    "个体工商户登记信息" {
        "辖区个体工商户的登记、变更和注销信息，包括经营者、字号名称、组成形式、经营场所和经营范围。"
        "102002" "基础" "经济发展" "数据库" "每日" "重要"
        "无条件共享" "" ""
        "不予开放" ""
        uscc "统一社会信用代码" string(18) none;
        trade_name "字号名称" string(200) none;
        operator_name "经营者姓名" string(50) name;
        operator_id_no "经营者身份证号码" string(18) resident_id;
        operator_mobile "经营者手机号码" string(11) mobile;
        form "组成形式" string(20) none "个人经营或家庭经营";
        premises "经营场所" string(200) none;
        business_scope "经营范围" string(1000) none;
        registered_on "注册日期" date none;
        reg_status "登记状态" string(20) none;
    }
    "企业年度报告信息" {
        "企业通过国家企业信用信息公示系统报送的年度报告，包括从业人数、资产状况、网站网店及对外投资等信息。"
        "205003" "主题" "经济发展" "数据库" "每年" "重要"
        "有条件共享" SC_ENTERPRISE ""
        "不予开放" ""
        uscc "统一社会信用代码" string(18) none;
        report_year "报告年度" integer none;
        employees "从业人数" integer none;
        total_assets "资产总额（万元）" number none "企业选择不公示的不对外公开";
        revenue "营业总收入（万元）" number none;
        tax_total "纳税总额（万元）" number none;
        website "网站或网店网址" string(200) none;
        submitted_at "报送时间" datetime none;
    }
    "食品经营许可证信息" {
        "食品经营许可证的核发、延续、变更和注销信息，包括经营者名称、经营项目、经营场所和有效期。"
        "105004" "基础" "医疗卫生" "数据库" "每日" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        licence_no "许可证编号" string(20) none;
        operator_name "经营者名称" string(200) none;
        uscc "统一社会信用代码" string(18) none;
        main_form "主体业态" string(50) none "食品销售经营者、餐饮服务经营者、单位食堂";
        items "经营项目" string(500) none;
        premises "经营场所" string(200) none;
        issued_on "发证日期" date none;
        valid_until "有效期至" date none;
    }
    "食品生产许可证信息" {
        "食品生产许可证的核发及变更信息，包括生产者名称、食品类别、生产地址和有效期。"
        "105005" "基础" "医疗卫生" "数据库" "每周" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        licence_no "许可证编号" string(20) none "SC开头";
        producer_name "生产者名称" string(200) none;
        uscc "统一社会信用代码" string(18) none;
        food_category "食品类别" string(200) none;
        production_address "生产地址" string(200) none;
        issued_on "发证日期" date none;
        valid_until "有效期至" date none;
    }
    "行政处罚信息" {
        "市场监管部门作出的行政处罚决定信息，包括当事人、违法行为类型、处罚依据、处罚内容和决定日期。"
        "104006" "基础" "信用服务" "数据库" "每日" "一般"
        "无条件共享" "" ""
        "有条件开放" OC_PUBLICITY
        decision_no "处罚决定书文号" string(50) none;
        party_name "当事人名称" string(200) none;
        uscc "统一社会信用代码" string(18) none;
        legal_rep "法定代表人" string(50) name;
        violation "违法行为类型" string(200) none;
        basis "处罚依据" string(500) none;
        penalty "处罚内容" string(500) none;
        fine_amount "罚没款金额（元）" number none;
        decided_on "处罚决定日期" date none;
    }
    "特种设备登记信息" {
        "电梯、锅炉、压力容器、起重机械等特种设备的使用登记和定期检验信息。"
        "301007" "部门" "公共安全" "数据库" "每周" "重要"
        "无条件共享" "" ""
        "不予开放" ""
        reg_code "使用登记证编号" string(30) none;
        equipment_type "设备种类" string(30) none;
        user_unit "使用单位" string(200) none;
        location "设备使用地点" string(200) none;
        manufacturer "制造单位" string(200) none;
        next_inspection_on "下次检验日期" date none;
        inspection_result "检验结论" string(20) none;
        street "所属街道" string(20) none;
    }
    "电梯维保信息" {
        "在用电梯的维护保养单位、维保记录和应急救援电话，用于电梯安全监管和困人救援调度。"
        "301008" "部门" "公共安全" "服务接口" "实时" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        elevator_code "电梯识别码" string(20) none "96333救援识别码";
        reg_code "使用登记证编号" string(30) none;
        maintainer "维保单位" string(200) none;
        maintained_on "维保日期" date none;
        maintainer_staff "维保人员" string(50) name;
        rescue_phone "应急救援电话" string(20) none;
        building "所在建筑" string(200) none;
    }
    "消费投诉举报信息" {
        "通过12315平台受理的消费投诉、举报及处理结果，用于消费维权分析和重点领域监管。"
        "301009" "部门" "公共服务" "数据库" "每日" "重要"
        "有条件共享" SC_PERSON ""
        "不予开放" ""
        case_no "登记编号" string(30) none;
        complainant "投诉人姓名" string(50) name;
        complainant_mobile "投诉人手机号码" string(11) mobile;
        respondent "被投诉主体" string(200) none;
        category "投诉类别" string(50) none;
        content "投诉内容" string(2000) none;
        received_at "登记时间" datetime none;
        result "处理结果" string(500) none;
        recovered_amount "挽回经济损失（元）" number none;
    }
    "举报人信息" {
        "市场监管举报案件中举报人的身份及联系方式，依法对举报人信息予以保密。"
        "301010" "部门" "公共安全" "数据库" "实时" "重要"
        "不予共享" "" "《市场监督管理投诉举报处理暂行办法》有关举报人信息保密的规定"
        "不予开放" ""
        report_no "举报编号" string(30) none;
        reporter_name "举报人姓名" string(50) name;
        reporter_id_no "举报人身份证号码" string(18) resident_id;
        reporter_mobile "举报人手机号码" string(11) mobile;
        reporter_address "举报人联系地址" string(200) address;
        reported_at "举报时间" datetime none;
    }
    "食品安全抽检信息" {
        "食品安全监督抽检的样品、被抽样单位、检验项目和检验结论，合格与不合格结果按规定向社会公布。"
        "207011" "主题" "医疗卫生" "电子表格" "每月" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        sample_no "抽样单编号" string(30) none;
        food_name "食品名称" string(100) none;
        sampled_unit "被抽样单位" string(200) none;
        producer "标称生产企业" string(200) none;
        batch "生产日期或批号" string(50) none;
        test_item "不合格项目" string(200) none;
        conclusion "检验结论" string(20) none;
        published_on "公布日期" date none;
    }
    "双随机抽查结果信息" {
        "\"双随机、一公开\"抽查任务、检查对象及检查结果，用于信用分类监管。"
        "104012" "基础" "信用服务" "数据库" "每月" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        task_no "抽查任务编号" string(30) none;
        task_name "抽查任务名称" string(200) none;
        target_name "检查对象名称" string(200) none;
        uscc "统一社会信用代码" string(18) none;
        checked_on "检查日期" date none;
        result "检查结果" string(100) none "未发现问题、发现问题已责令改正等";
        department "检查部门" string(100) none;
    }
    "经营异常名录信息" {
        "被列入和移出经营异常名录的市场主体、列入事由、作出决定机关和日期。"
        "104013" "基础" "信用服务" "数据库" "每日" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        uscc "统一社会信用代码" string(18) none;
        ent_name "企业名称" string(200) none;
        listed_reason "列入事由" string(200) none;
        listed_on "列入日期" date none;
        removed_reason "移出事由" string(200) none;
        removed_on "移出日期" date none;
        authority "作出决定机关" string(100) none;
    }
    "药品零售企业许可信息" {
        "药品经营许可证（零售）的核发和变更信息，包括企业名称、经营范围、质量负责人和注册地址。"
        "105014" "基础" "医疗卫生" "数据库" "每周" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        licence_no "许可证编号" string(30) none;
        ent_name "企业名称" string(200) none;
        uscc "统一社会信用代码" string(18) none;
        business_scope "经营范围" string(500) none;
        address "注册地址" string(200) none;
        issued_on "发证日期" date none;
        valid_until "有效期至" date none;
    }
    "计量器具强制检定信息" {
        "加油机、电子计价秤、医用计量器具等强制检定计量器具的检定记录和结果。"
        "301015" "部门" "公共服务" "电子表格" "每月" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        instrument_no "器具编号" string(30) none;
        instrument_name "器具名称" string(100) none;
        owner_unit "使用单位" string(200) none;
        verified_on "检定日期" date none;
        result "检定结论" string(20) none;
        valid_until "有效期至" date none;
    }
    "广告监测信息" {
        "对广播电视、户外和互联网广告的监测记录及涉嫌违法广告线索。"
        "301016" "部门" "公共服务" "数据库" "每周" "一般"
        "有条件共享" SC_DUTY ""
        "不予开放" ""
        clue_no "线索编号" string(30) none;
        advertiser "广告主" string(200) none;
        medium "发布媒介" string(50) none;
        content_summary "广告内容摘要" string(1000) none;
        suspected_violation "涉嫌违法情形" string(200) none;
        detected_at "监测时间" datetime none;
    }
    "知识产权质押登记信息" {
        "专利权、商标专用权质押登记信息，包括出质人、质权人、质押金额和登记日期。"
        "205017" "主题" "经济发展" "电子表格" "每月" "一般"
        "有条件共享" SC_ENTERPRISE ""
        "不予开放" ""
        reg_no "登记号" string(30) none;
        pledgor "出质人" string(200) none;
        pledgee "质权人" string(200) none;
        ip_type "知识产权类型" string(20) none;
        amount "质押金额（万元）" number none;
        registered_on "登记日期" date none;
    }
    "市场主体统计信息" {
        "按月统计的辖区市场主体数量，分企业、个体工商户和农民专业合作社，分街道和行业。"
        "205018" "主题" "经济发展" "电子表格" "每月" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        stat_month "统计月份" string(7) none "YYYY-MM";
        street "街道" string(20) none;
        industry "国民经济行业门类" string(50) none;
        enterprises "企业数" integer none;
        individual_businesses "个体工商户数" integer none;
        new_registrations "当月新登记数" integer none;
        deregistrations "当月注销数" integer none;
    }
};
