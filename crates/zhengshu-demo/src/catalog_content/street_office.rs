//! 街道办事处: grid management, rental housing, enterprises, venues and services of a street.

use super::basis::*;
use super::{DemoItem, DemoResource};

/// The resources of every street office.
pub(super) const RESOURCES: &[DemoResource] = resources! {
    "社区网格信息" {
        "街道划分的社区基础网格范围、网格员和网格内楼栋、人口、企业数量。"
        "103001" "基础" "城市建设" "图形图像" "每月" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        grid_code "网格编码" string(30) none;
        community "所属社区" string(30) none;
        boundary "网格边界" string(4000) none "GeoJSON";
        grid_worker "网格员" string(50) name;
        buildings "楼栋数" integer none;
        residents "实有人口数" integer none;
        enterprises "企业数" integer none;
    }
    "网格员信息" {
        "专职网格员的姓名、联系电话、负责网格和工作考核情况。"
        "331002" "部门" "政务管理" "电子表格" "每月" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        worker_name "姓名" string(50) name;
        mobile "手机号码" string(11) mobile;
        grid_code "负责网格" string(30) none;
        community "所属社区" string(30) none;
        hired_on "入职日期" date none;
        score "月度考核得分" number none;
    }
    "出租屋信息" {
        "辖区出租屋的房屋编码、地址、出租人、租住人数和消防安全检查情况。"
        "331003" "部门" "城市建设" "数据库" "每日" "重要"
        "有条件共享" SC_PERSON ""
        "不予开放" ""
        house_code "房屋编码" string(30) none;
        address "房屋地址" string(200) none;
        landlord "出租人姓名" string(50) name;
        landlord_id_no "出租人身份证号码" string(18) resident_id;
        landlord_mobile "出租人手机号码" string(11) mobile;
        rooms "出租间数" integer none;
        tenants "租住人数" integer none;
        fire_checked_on "最近消防检查日期" date none;
        community "所属社区" string(30) none;
    }
    "实有人口信息" {
        "网格员采集的辖区实有人口（户籍、流动、境外人员）居住信息。"
        "101004" "基础" "公共安全" "数据库" "每日" "重要"
        "有条件共享" SC_PERSON ""
        "不予开放" ""
        name "姓名" string(50) name;
        id_no "身份证号码" string(18) resident_id;
        mobile "手机号码" string(11) mobile;
        person_type "人口类别" string(10) none "户籍、流动、境外";
        address "居住地址" string(200) address;
        house_code "房屋编码" string(30) none;
        collected_on "采集日期" date none;
        community "所属社区" string(30) none;
    }
    "辖区企业名录" {
        "辖区内企业和个体工商户的名称、地址、行业、规模和联系人，用于企业服务和安全检查。"
        "102005" "基础" "经济发展" "电子表格" "每月" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        uscc "统一社会信用代码" string(18) none;
        ent_name "企业名称" string(200) none;
        address "实际经营地址" string(200) none;
        industry "行业" string(100) none;
        employees "员工人数" integer none;
        contact "联系人" string(50) name;
        contact_mobile "联系人手机号码" string(11) mobile;
        community "所属社区" string(30) none;
    }
    "三小场所信息" {
        "小档口、小作坊、小娱乐场所的位置、经营类别、负责人和消防安全检查记录。"
        "331006" "部门" "公共安全" "数据库" "每周" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        venue_code "场所编号" string(30) none;
        venue_name "场所名称" string(200) none;
        category "场所类别" string(20) none "小档口、小作坊、小娱乐场所";
        address "地址" string(200) none;
        owner_name "负责人" string(50) name;
        owner_mobile "负责人手机号码" string(11) mobile;
        last_checked_on "最近检查日期" date none;
        hazard "隐患情况" string(500) none;
    }
    "社区工作站人员信息" {
        "社区工作站、社区党委和居委会工作人员的岗位、职责分工和联系方式。"
        "331007" "部门" "政务管理" "电子表格" "每季度" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        name "姓名" string(50) name;
        mobile "手机号码" string(11) mobile;
        community "所属社区" string(30) none;
        post "岗位" string(50) none;
        duties "职责分工" string(200) none;
        hired_on "入职日期" date none;
    }
    "社区基本情况" {
        "各社区的面积、户籍人口、常住人口、小区数、楼栋数和社区服务设施情况。"
        "201008" "主题" "公共服务" "电子表格" "每年" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        community "社区名称" string(30) none;
        area_km2 "面积（平方公里）" number none;
        registered_population "户籍人口" integer none;
        resident_population "常住人口" integer none;
        estates "住宅小区数" integer none;
        buildings "楼栋数" integer none;
        office_address "社区工作站地址" string(200) none;
    }
    "城中村及住宅小区信息" {
        "辖区城中村和住宅小区的名称、位置、楼栋数、户数和物业管理情况。"
        "204009" "主题" "城市建设" "电子表格" "每季度" "一般"
        "无条件共享" "" ""
        "有条件开放" OC_REGISTER
        estate_name "名称" string(200) none;
        estate_type "类型" string(20) none "城中村、商品房小区、保障房小区";
        community "所属社区" string(30) none;
        buildings "楼栋数" integer none;
        households "户数" integer none;
        property_manager "物业管理单位" string(200) none;
    }
    "安全生产检查记录" {
        "街道安监执法队对辖区企业和三小场所的安全检查、隐患和整改记录。"
        "331010" "部门" "公共安全" "数据库" "每日" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        record_no "检查编号" string(30) none;
        target "检查对象" string(200) none;
        checked_on "检查日期" date none;
        hazards "隐患数" integer none;
        description "隐患描述" string(1000) none;
        rectified "是否整改" boolean none;
        inspector "检查人员" string(50) none;
    }
    "重点人群关爱信息" {
        "辖区独居老人、留守儿童、残疾人等重点人群的走访关爱记录。"
        "202011" "主题" "社会保障" "数据库" "每月" "重要"
        "有条件共享" SC_ASSIST ""
        "不予开放" ""
        name "姓名" string(50) name;
        id_no "身份证号码" string(18) resident_id;
        group_type "人群类别" string(20) none;
        address "居住地址" string(200) address;
        guardian_mobile "联系人手机号码" string(11) mobile;
        visited_on "最近走访日期" date none;
        needs "帮扶需求" string(500) none;
    }
    "街道办事服务事项信息" {
        "街道党群服务中心可办理的政务服务事项、办理地点和预约方式。"
        "201012" "主题" "公共服务" "电子表格" "每季度" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        item_name "事项名称" string(200) none;
        department "实施部门" string(100) none;
        venue "办理地点" string(200) none;
        office_hours "办理时间" string(100) none;
        booking "预约方式" string(200) none;
    }
    "民生实事项目信息" {
        "街道年度民生实事和社区\"民生微实事\"项目的内容、预算、实施进度和验收情况。"
        "201013" "主题" "公共服务" "电子表格" "每季度" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        project_name "项目名称" string(200) none;
        community "所属社区" string(30) none;
        category "项目类别" string(50) none;
        budget "预算金额（万元）" number none;
        progress "实施进度" string(50) none;
        accepted_on "验收日期" date none;
    }
    "消防安全隐患排查信息" {
        "对城中村、出租屋、\"九小\"场所消防安全隐患的排查和整改情况。"
        "331014" "部门" "公共安全" "数据库" "每周" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        record_no "排查编号" string(30) none;
        address "排查地址" string(200) none;
        place_type "场所类型" string(50) none;
        hazard "隐患描述" string(500) none;
        found_on "发现日期" date none;
        rectified_on "整改日期" date none;
        community "所属社区" string(30) none;
    }
    "居民议事及社区协商信息" {
        "社区居民议事会、协商议题、参与人数和协商结果。"
        "331015" "部门" "政务管理" "电子文件" "每月" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        meeting_no "议事编号" string(30) none;
        community "社区" string(30) none;
        topic "议题" string(200) none;
        participants "参与人数" integer none;
        outcome "协商结果" string(1000) none;
        held_on "议事日期" date none;
    }
    "社区党群服务中心信息" {
        "社区党群服务中心的地址、开放时间、服务项目和活动室预约方式。"
        "201016" "主题" "公共服务" "电子表格" "每季度" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        centre_name "名称" string(200) none;
        community "所属社区" string(30) none;
        address "地址" string(200) none;
        opening_hours "开放时间" string(100) none;
        services "服务项目" string(500) none;
        phone "联系电话" string(20) none "服务中心电话";
    }
    "查违巡查信息" {
        "街道查违队对违法用地、违法建筑的日常巡查、制止和拆除记录。"
        "331017" "部门" "城市建设" "数据库" "每日" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        patrol_no "巡查编号" string(30) none;
        location "位置" string(200) none;
        found_on "发现日期" date none;
        area_m2 "违建面积（平方米）" number none;
        measure "处置措施" string(100) none;
        community "所属社区" string(30) none;
    }
    "三防转移安置信息" {
        "台风暴雨期间危险区域人员转移、避险安置场所启用和安置人数。"
        "209018" "主题" "公共安全" "电子表格" "其他" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        event_name "灾害过程" string(100) none;
        community "社区" string(30) none;
        relocated "转移人数" integer none;
        shelter "安置场所" string(200) none;
        sheltered "安置人数" integer none;
        reported_at "上报时间" datetime none;
    }
    "街道统计概况" {
        "街道主要经济社会指标，包括规上企业数、固定资产投资、人口和公共服务设施数量。"
        "205019" "主题" "经济发展" "电子表格" "每年" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        stat_year "年度" integer none;
        above_scale_enterprises "规模以上企业数" integer none;
        investment "固定资产投资（亿元）" number none;
        resident_population "常住人口（万人）" number none;
        schools "中小学数" integer none;
        health_centres "社康机构数" integer none;
    }
};
