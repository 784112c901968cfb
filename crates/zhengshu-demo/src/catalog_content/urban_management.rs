//! 城市管理和综合执法: sanitation, waste sorting, parks, greenery, lighting, enforcement.

use super::basis::*;
use super::{DemoItem, DemoResource};

/// The resources of every urban-management unit.
pub(super) const RESOURCES: &[DemoResource] = resources! {
    "生活垃圾分类投放点信息" {
        "住宅区、城中村生活垃圾分类集中投放点的位置、桶数和督导时段。"
        "203001" "主题" "生态环保" "电子表格" "每季度" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        point_code "投放点编号" string(30) none;
        location "位置" string(200) none;
        estate "所属小区" string(200) none;
        bins "分类桶数" integer none;
        supervised_hours "定时督导时段" string(100) none;
        street "所属街道" string(20) none;
        longitude "经度" number none;
        latitude "纬度" number none;
    }
    "生活垃圾收运处理量信息" {
        "按日统计的其他垃圾、厨余垃圾、可回收物和有害垃圾的收运量和处理去向。"
        "203002" "主题" "生态环保" "电子表格" "每日" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        stat_date "统计日期" date none;
        street "街道" string(20) none;
        other_waste_t "其他垃圾（吨）" number none;
        kitchen_waste_t "厨余垃圾（吨）" number none;
        recyclables_t "可回收物（吨）" number none;
        hazardous_t "有害垃圾（吨）" number none;
    }
    "环卫作业车辆实时定位信息" {
        "清扫车、洒水车、垃圾转运车的实时定位和作业状态。"
        "312003" "部门" "城市建设" "服务接口" "实时" "一般"
        "有条件共享" SC_FEED ""
        "不予开放" ""
        plate_no "车牌号码" string(10) none;
        vehicle_type "车辆类型" string(20) none;
        reported_at "上报时间" datetime none;
        longitude "经度" number none;
        latitude "纬度" number none;
        working "是否作业中" boolean none;
    }
    "公园信息" {
        "综合公园、社区公园和郊野公园的名称、面积、开放时间和设施。"
        "201004" "主题" "公共服务" "电子表格" "每季度" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        park_name "公园名称" string(100) none;
        park_type "公园类型" string(20) none;
        area_ha "面积（公顷）" number none;
        address "地址" string(200) none;
        opening_hours "开放时间" string(100) none;
        facilities "主要设施" string(500) none;
        longitude "经度" number none;
        latitude "纬度" number none;
    }
    "公共厕所信息" {
        "环卫公厕和社会开放厕所的位置、开放时间、无障碍和母婴设施。"
        "201005" "主题" "公共服务" "服务接口" "每月" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        toilet_code "公厕编号" string(30) none;
        toilet_name "公厕名称" string(100) none;
        address "地址" string(200) none;
        opening_hours "开放时间" string(50) none;
        accessible "是否有无障碍设施" boolean none;
        baby_room "是否有母婴室" boolean none;
        longitude "经度" number none;
        latitude "纬度" number none;
    }
    "城市照明设施信息" {
        "道路路灯、景观照明设施的位置、灯具类型和运行状态。"
        "312006" "部门" "城市建设" "数据库" "每月" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        lamp_code "路灯编号" string(30) none;
        road "所在道路" string(100) none;
        lamp_type "灯具类型" string(20) none;
        power_w "功率（瓦）" integer none;
        status "运行状态" string(10) none;
        longitude "经度" number none;
        latitude "纬度" number none;
    }
    "户外广告设置许可信息" {
        "户外广告设施和招牌设置的许可、位置、规格和有效期。"
        "312007" "部门" "城市建设" "电子表格" "每周" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        permit_no "许可编号" string(30) none;
        applicant "设置单位" string(200) none;
        location "设置地点" string(200) none;
        size "规格" string(50) none;
        valid_from "有效期起" date none;
        valid_until "有效期止" date none;
    }
    "城管执法案件信息" {
        "占道经营、违规排放、噪声扰民等城市管理违法行为的立案、处罚和结案信息。"
        "312008" "部门" "城市建设" "数据库" "每日" "一般"
        "有条件共享" SC_CASE ""
        "不予开放" ""
        case_no "案件编号" string(30) none;
        party_name "当事人姓名或名称" string(200) name;
        party_id_no "当事人身份证号码" string(18) resident_id;
        violation "违法行为" string(200) none;
        location "违法地点" string(200) none;
        penalty "处罚结果" string(200) none;
        closed_on "结案日期" date none;
    }
    "数字城管事件信息" {
        "视频智能识别、巡查员上报和市民投诉的城市管理问题，及其派遣、处置和核查结果。"
        "312009" "部门" "城市建设" "数据库" "实时" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        event_no "事件编号" string(30) none;
        category "问题类别" string(50) none "暴露垃圾、占道经营、井盖破损等";
        source "来源" string(20) none;
        location "位置" string(200) none;
        reported_at "上报时间" datetime none;
        handler "处置单位" string(100) none;
        closed_at "结案时间" datetime none;
        longitude "经度" number none;
        latitude "纬度" number none;
    }
    "绿道及口袋公园信息" {
        "绿道线路、驿站和口袋公园的位置、长度或面积。"
        "203010" "主题" "生态环保" "图形图像" "每年" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        name "名称" string(100) none;
        facility_type "类型" string(20) none;
        length_km "长度（公里）" number none;
        area_m2 "面积（平方米）" number none;
        street "所属街道" string(20) none;
        built_year "建成年份" integer none;
    }
    "行道树信息" {
        "市政道路行道树的树种、胸径、位置和养护单位。"
        "312011" "部门" "生态环保" "数据库" "每年" "一般"
        "无条件共享" "" ""
        "有条件开放" OC_REGISTER
        tree_code "树木编号" string(30) none;
        species "树种" string(50) none;
        dbh_cm "胸径（厘米）" number none;
        road "所在道路" string(100) none;
        maintainer "养护单位" string(200) none;
        longitude "经度" number none;
        latitude "纬度" number none;
    }
    "建筑废弃物排放处置信息" {
        "建设工程建筑废弃物排放核准、运输车辆和消纳场所的处置记录。"
        "312012" "部门" "生态环保" "数据库" "每日" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        approval_no "排放核准编号" string(30) none;
        project_name "工程名称" string(200) none;
        volume_m3 "核准排放量（立方米）" number none;
        transporter "运输单位" string(200) none;
        disposal_site "消纳场所" string(200) none;
        valid_until "有效期至" date none;
    }
    "环卫作业人员信息" {
        "环卫作业企业一线作业人员的岗位、作业片区和考勤记录。"
        "312013" "部门" "城市建设" "电子表格" "每月" "一般"
        "有条件共享" SC_PERSON ""
        "不予开放" ""
        worker_name "姓名" string(50) name;
        id_no "身份证号码" string(18) resident_id;
        mobile "手机号码" string(11) mobile;
        company "作业企业" string(200) none;
        area "作业片区" string(100) none;
        post "岗位" string(20) none;
    }
};
