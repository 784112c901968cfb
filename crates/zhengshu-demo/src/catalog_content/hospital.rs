//! 医院: public hospitals' clinical and service data.

use super::basis::*;
use super::{DemoItem, DemoResource};

/// The resources of every public hospital.
pub(super) const RESOURCES: &[DemoResource] = resources! {
    "门急诊就诊记录" {
        "门诊和急诊患者的挂号、就诊科室、接诊医生、诊断和费用汇总。"
        "306001" "部门" "医疗卫生" "数据库" "实时" "重要"
        "有条件共享" SC_HEALTH ""
        "不予开放" ""
        visit_no "就诊流水号" string(30) none;
        patient_name "患者姓名" string(50) name;
        id_no "身份证号码" string(18) resident_id;
        department "就诊科室" string(50) none;
        doctor "接诊医生" string(50) none;
        diagnosis "诊断名称" string(200) other "ICD-10";
        visited_at "就诊时间" datetime none;
        total_fee "费用总额（元）" number none;
    }
    "住院病案首页信息" {
        "出院患者病案首页的入出院时间、诊断、手术和费用信息，用于医疗质量管理和病种分析。"
        "306002" "部门" "医疗卫生" "数据库" "每日" "重要"
        "有条件共享" SC_HEALTH ""
        "不予开放" ""
        case_no "病案号" string(30) none;
        patient_name "患者姓名" string(50) name;
        id_no "身份证号码" string(18) resident_id;
        admitted_on "入院日期" date none;
        discharged_on "出院日期" date none;
        main_diagnosis "主要诊断" string(200) other;
        operation "主要手术及操作" string(200) other;
        total_fee "住院总费用（元）" number none;
        outcome "离院方式" string(20) none;
    }
    "检验检查报告信息" {
        "检验报告和影像检查报告的结构化结果，支持医疗机构间检查检验结果互认。"
        "306003" "部门" "医疗卫生" "服务接口" "实时" "重要"
        "有条件共享" SC_HEALTH ""
        "不予开放" ""
        report_no "报告单号" string(30) none;
        patient_name "患者姓名" string(50) name;
        id_no "身份证号码" string(18) resident_id;
        item "检查检验项目" string(100) none;
        result "结果" string(2000) other;
        reported_at "报告时间" datetime none;
        mutual_recognition "是否互认项目" boolean none;
    }
    "预约挂号号源信息" {
        "各科室、医生的出诊排班和可预约号源，供统一预约挂号平台调用。"
        "207004" "主题" "医疗卫生" "服务接口" "实时" "一般"
        "无条件共享" "" ""
        "有条件开放" OC_API
        schedule_id "排班编号" string(30) none;
        department "科室" string(50) none;
        doctor "医生" string(50) none;
        title "职称" string(20) none;
        clinic_date "出诊日期" date none;
        period "时段" string(10) none "上午、下午、夜间";
        available "剩余号源" integer none;
        fee "挂号费（元）" number none;
    }
    "医院科室及专家介绍" {
        "医院临床科室设置、特色专科和出诊专家简介。"
        "207005" "主题" "医疗卫生" "电子文件" "每季度" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        department "科室名称" string(50) none;
        specialty "特色专科" string(200) none;
        expert "专家姓名" string(50) none "公开出诊信息";
        title "职称" string(20) none;
        expertise "擅长领域" string(500) none;
        clinic_time "出诊时间" string(100) none;
    }
    "床位使用情况" {
        "各病区实有床位、占用床位和空床数，用于急危重症转诊和床位调度。"
        "306006" "部门" "医疗卫生" "服务接口" "实时" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        ward "病区" string(50) none;
        beds "实有床位" integer none;
        occupied "占用床位" integer none;
        free "空床数" integer none;
        updated_at "更新时间" datetime none;
    }
    "药品库存及使用信息" {
        "药品的库存量、采购入库和临床使用量，用于短缺药品监测和合理用药管理。"
        "306007" "部门" "医疗卫生" "数据库" "每日" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        drug_code "药品编码" string(30) none "国家医保药品编码";
        drug_name "药品通用名" string(100) none;
        specification "规格" string(50) none;
        stock "库存数量" integer none;
        monthly_usage "月使用量" integer none;
        purchase_price "采购价（元）" number none;
    }
    "电子病历信息" {
        "住院和门诊电子病历文书，包括病程记录、医嘱和护理记录。"
        "306008" "部门" "医疗卫生" "数据库" "实时" "核心"
        "不予共享" "" NB_SENSITIVE
        "不予开放" ""
        record_id "病历编号" string(30) none;
        patient_name "患者姓名" string(50) name;
        id_no "身份证号码" string(18) resident_id;
        doc_type "文书类型" string(50) none;
        content "病历内容" string(4000) other;
        author "书写医生" string(50) none;
        written_at "书写时间" datetime none;
    }
    "医疗服务价格公示信息" {
        "医疗服务项目、药品和医用耗材的收费价格公示。"
        "207009" "主题" "医疗卫生" "电子表格" "每月" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        item_code "项目编码" string(30) none;
        item_name "项目名称" string(200) none;
        unit "计价单位" string(20) none;
        price "价格（元）" number none;
        note "说明" string(500) none;
    }
    "医疗纠纷投诉信息" {
        "患者及家属对医疗服务的投诉、医疗纠纷调解和处理结果。"
        "306010" "部门" "医疗卫生" "电子表格" "每月" "重要"
        "有条件共享" SC_PERSON ""
        "不予开放" ""
        complaint_no "投诉编号" string(30) none;
        complainant "投诉人姓名" string(50) name;
        mobile "联系电话" string(11) mobile;
        department "涉及科室" string(50) none;
        summary "投诉事由" string(1000) none;
        result "处理结果" string(500) none;
        received_on "受理日期" date none;
    }
    "院前急救转运信息" {
        "120急救车接诊转运患者的出车时间、到达时间、病情分级和送达医院。"
        "306011" "部门" "医疗卫生" "数据库" "实时" "重要"
        "有条件共享" SC_HEALTH ""
        "不予开放" ""
        dispatch_no "出车单号" string(30) none;
        patient_name "患者姓名" string(50) name;
        pickup_address "接诊地址" string(200) address;
        dispatched_at "出车时间" datetime none;
        arrived_at "到达现场时间" datetime none;
        severity "病情分级" string(10) none;
        destination "送达医院" string(200) none;
    }
    "医院运营统计信息" {
        "门急诊人次、出院人次、平均住院日、床位使用率等医院运营指标。"
        "207012" "主题" "医疗卫生" "电子表格" "每月" "一般"
        "无条件共享" "" ""
        "有条件开放" OC_REGISTER
        stat_month "统计月份" string(7) none;
        outpatient_visits "门急诊人次" integer none;
        discharges "出院人次" integer none;
        avg_stay_days "平均住院日" number none;
        bed_usage_rate "床位使用率" number none;
        avg_outpatient_fee "门诊次均费用（元）" number none;
    }
};
