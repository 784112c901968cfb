//! 生态环境: air, water and noise monitoring, pollution sources, permits, enforcement.

use super::basis::*;
use super::{DemoItem, DemoResource};

/// The resources of every ecology-and-environment unit.
pub(super) const RESOURCES: &[DemoResource] = resources! {
    "空气质量自动监测信息" {
        "国控、省控和区级空气质量自动监测站逐小时监测的 PM2.5、PM10、臭氧等污染物浓度和 AQI。"
        "203001" "主题" "生态环保" "服务接口" "实时" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        station_code "监测站点编码" string(20) none;
        station_name "监测站点名称" string(100) none;
        monitored_at "监测时间" datetime none;
        pm25 "PM2.5浓度（微克/立方米）" number none;
        pm10 "PM10浓度（微克/立方米）" number none;
        o3 "臭氧浓度（微克/立方米）" number none;
        no2 "二氧化氮浓度（微克/立方米）" number none;
        aqi "空气质量指数" integer none;
        primary_pollutant "首要污染物" string(20) none;
    }
    "河流水质监测信息" {
        "主要河流干支流考核断面的水质监测结果和水质类别。"
        "203002" "主题" "生态环保" "电子表格" "每月" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        section_code "断面编码" string(20) none;
        section_name "断面名称" string(100) none;
        river "所在河流" string(50) none;
        sampled_on "采样日期" date none;
        cod "化学需氧量（毫克/升）" number none;
        ammonia "氨氮（毫克/升）" number none;
        total_p "总磷（毫克/升）" number none;
        water_class "水质类别" string(10) none;
    }
    "饮用水水源水质信息" {
        "集中式饮用水水源地水质监测结果和达标情况。"
        "203003" "主题" "生态环保" "电子表格" "每月" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        source_name "水源地名称" string(100) none;
        sampled_on "采样日期" date none;
        items_tested "监测项目数" integer none;
        items_exceeded "超标项目数" integer none;
        compliant "是否达标" boolean none;
    }
    "区域环境噪声监测信息" {
        "区域环境噪声、道路交通噪声和功能区噪声的监测结果。"
        "203004" "主题" "生态环保" "电子表格" "每季度" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        point_code "测点编号" string(20) none;
        point_name "测点名称" string(100) none;
        zone_class "功能区类别" string(10) none;
        measured_on "监测日期" date none;
        day_leq "昼间等效声级（分贝）" number none;
        night_leq "夜间等效声级（分贝）" number none;
    }
    "排污许可信息" {
        "排污单位排污许可证的核发信息，包括许可排放污染物、排放口和排放限值。"
        "105005" "基础" "生态环保" "数据库" "每周" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        permit_no "排污许可证编号" string(30) none;
        unit_name "单位名称" string(200) none;
        uscc "统一社会信用代码" string(18) none;
        industry "行业类别" string(100) none;
        pollutants "主要污染物类别" string(200) none;
        outlets "排放口数量" integer none;
        valid_until "有效期至" date none;
    }
    "重点排污单位自动监控信息" {
        "重点排污单位废水、废气排放口在线监测的污染物排放浓度和排放量。"
        "313006" "部门" "生态环保" "服务接口" "实时" "重要"
        "有条件共享" SC_FEED ""
        "有条件开放" OC_API
        unit_name "单位名称" string(200) none;
        outlet_code "排放口编号" string(20) none;
        monitored_at "监测时间" datetime none;
        pollutant "污染物" string(50) none;
        concentration "排放浓度" number none;
        limit_value "排放限值" number none;
        exceeded "是否超标" boolean none;
    }
    "建设项目环评审批信息" {
        "建设项目环境影响报告书（表）审批和环境影响登记表备案信息。"
        "203007" "主题" "生态环保" "电子表格" "每周" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        approval_no "批复文号" string(50) none;
        project_name "项目名称" string(200) none;
        builder "建设单位" string(200) none;
        location "建设地点" string(200) none;
        doc_type "环评文件类型" string(20) none;
        approved_on "审批日期" date none;
    }
    "环境行政处罚信息" {
        "生态环境违法行为的行政处罚决定书信息。"
        "104008" "基础" "信用服务" "数据库" "每日" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        decision_no "处罚决定书文号" string(50) none;
        party_name "被处罚单位" string(200) none;
        uscc "统一社会信用代码" string(18) none;
        violation "违法事实" string(1000) none;
        penalty "处罚内容" string(500) none;
        fine "罚款金额（元）" number none;
        decided_on "处罚日期" date none;
    }
    "环境信访投诉信息" {
        "群众反映的噪声、油烟、异味、污水等环境问题投诉及办理结果。"
        "313009" "部门" "生态环保" "数据库" "每日" "一般"
        "有条件共享" SC_PERSON ""
        "不予开放" ""
        complaint_no "投诉编号" string(30) none;
        complainant "投诉人姓名" string(50) name;
        mobile "联系电话" string(11) mobile;
        problem "问题类型" string(50) none;
        location "问题发生地" string(200) none;
        received_at "受理时间" datetime none;
        result "办理结果" string(500) none;
    }
    "危险废物经营和转移信息" {
        "危险废物经营许可和危险废物转移联单信息。"
        "313010" "部门" "生态环保" "数据库" "每日" "重要"
        "有条件共享" SC_ENTERPRISE ""
        "不予开放" ""
        manifest_no "转移联单编号" string(30) none;
        producer "产生单位" string(200) none;
        receiver "接收单位" string(200) none;
        waste_code "废物代码" string(20) none;
        quantity_t "转移量（吨）" number none;
        transferred_on "转移日期" date none;
    }
    "辐射安全许可信息" {
        "使用放射源和射线装置单位的辐射安全许可证信息。"
        "105011" "基础" "生态环保" "电子表格" "每月" "重要"
        "有条件共享" SC_DUTY ""
        "不予开放" ""
        licence_no "许可证编号" string(30) none;
        unit_name "单位名称" string(200) none;
        scope "许可种类和范围" string(500) none;
        sources "放射源数量" integer none;
        valid_until "有效期至" date none;
    }
    "污染源普查信息" {
        "第二次全国污染源普查中工业污染源、生活源和集中式污染治理设施的普查表数据。"
        "313012" "部门" "生态环保" "数据库" "其他" "重要"
        "不予共享" "" NB_STATISTICS
        "不予开放" ""
        unit_name "普查对象名称" string(200) none;
        uscc "统一社会信用代码" string(18) none;
        industry "行业" string(100) none;
        wastewater_t "废水排放量（吨）" number none;
        so2_kg "二氧化硫排放量（千克）" number none;
        reported_year "普查年度" integer none;
    }
    "生态环境质量年报" {
        "年度空气、水、声环境质量状况和主要污染物减排情况。"
        "203013" "主题" "生态环保" "电子文件" "每年" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        report_year "年度" integer none;
        good_air_days "空气质量优良天数" integer none;
        pm25_annual "PM2.5年均浓度（微克/立方米）" number none;
        river_compliance "河流考核断面达标率" number none;
        noise_day "区域声环境昼间均值（分贝）" number none;
    }
    "土壤污染状况调查信息" {
        "建设用地土壤污染状况调查报告评审结果和疑似污染地块名录。"
        "203014" "主题" "生态环保" "电子表格" "每季度" "一般"
        "无条件共享" "" ""
        "有条件开放" OC_REGISTER
        parcel_name "地块名称" string(200) none;
        location "地块位置" string(200) none;
        area "面积（平方米）" number none;
        conclusion "调查结论" string(200) none;
        reviewed_on "评审日期" date none;
    }
};
