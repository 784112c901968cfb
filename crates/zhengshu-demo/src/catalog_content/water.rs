//! 水务: rivers, reservoirs, drainage, flood prevention, water supply and water permits.

use super::basis::*;
use super::{DemoItem, DemoResource};

/// The resources of every water-affairs unit.
pub(super) const RESOURCES: &[DemoResource] = resources! {
    "河流基本信息" {
        "辖区河流的名称、长度、流域面积、起止点和河长。"
        "103001" "基础" "生态环保" "数据库" "每年" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        river_code "河流编码" string(20) none;
        river_name "河流名称" string(50) none;
        basin "所属流域" string(50) none;
        length_km "河长（公里）" number none;
        catchment_km2 "流域面积（平方公里）" number none;
        source "起点" string(100) none;
        mouth "终点" string(100) none;
        river_chief "区级河长" string(50) none "公示的职务和姓名";
    }
    "水库信息" {
        "辖区水库的规模、库容、功能和安全责任人。"
        "103002" "基础" "生态环保" "数据库" "每年" "重要"
        "无条件共享" "" ""
        "无条件开放" ""
        reservoir_code "水库编码" string(20) none;
        reservoir_name "水库名称" string(50) none;
        scale "规模" string(20) none "中型、小（1）型、小（2）型";
        total_storage "总库容（万立方米）" number none;
        flood_limit_level "汛限水位（米）" number none;
        functions "主要功能" string(100) none;
    }
    "水雨情实时监测信息" {
        "雨量站、水位站和水库站实时上报的降雨量、水位和流量。"
        "209003" "主题" "公共安全" "服务接口" "实时" "一般"
        "无条件共享" "" ""
        "有条件开放" OC_API
        station_code "测站编码" string(20) none;
        station_name "测站名称" string(100) none;
        observed_at "观测时间" datetime none;
        rainfall_mm "时段降雨量（毫米）" number none;
        water_level_m "水位（米）" number none;
        flow "流量（立方米/秒）" number none;
        warning_level "预警级别" string(10) none;
    }
    "易涝风险点信息" {
        "城市内涝易涝风险点的位置、积水深度、影响范围和应急措施。"
        "209004" "主题" "公共安全" "电子表格" "每年" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        point_code "风险点编号" string(20) none;
        location "位置" string(200) none;
        max_depth_cm "历史最大积水深度（厘米）" integer none;
        impact "影响范围" string(200) none;
        measures "应急措施" string(500) none;
        street "所属街道" string(20) none;
        longitude "经度" number none;
        latitude "纬度" number none;
    }
    "排水管网信息" {
        "雨水、污水和合流管渠的管段、管径、材质、埋深和权属。"
        "103005" "基础" "城市建设" "图形图像" "每季度" "重要"
        "有条件共享" SC_SPATIAL ""
        "不予开放" ""
        pipe_code "管段编号" string(30) none;
        pipe_type "管道类别" string(10) none;
        diameter_mm "管径（毫米）" integer none;
        material "材质" string(20) none;
        depth_m "埋深（米）" number none;
        owner_unit "权属单位" string(200) none;
    }
    "排水许可信息" {
        "城镇污水排入排水管网许可证的核发信息。"
        "105006" "基础" "生态环保" "电子表格" "每周" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        permit_no "许可证编号" string(30) none;
        unit_name "排水户名称" string(200) none;
        uscc "统一社会信用代码" string(18) none;
        category "排水户类别" string(50) none;
        address "排水地址" string(200) none;
        valid_until "有效期至" date none;
    }
    "污水处理厂运行信息" {
        "水质净化厂的日处理水量、进出水水质和运行负荷率。"
        "203007" "主题" "生态环保" "电子表格" "每日" "一般"
        "无条件共享" "" ""
        "有条件开放" OC_REGISTER
        plant_name "水质净化厂" string(100) none;
        stat_date "日期" date none;
        treated_10k_m3 "处理水量（万立方米）" number none;
        inflow_cod "进水COD（毫克/升）" number none;
        outflow_cod "出水COD（毫克/升）" number none;
        load_rate "运行负荷率" number none;
    }
    "取水许可信息" {
        "取水许可证的核发、取水量和取水用途信息。"
        "105008" "基础" "生态环保" "电子表格" "每月" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        permit_no "取水许可证号" string(30) none;
        holder "取水权人" string(200) none;
        source "取水水源" string(100) none;
        annual_quota "年取水量（万立方米）" number none;
        purpose "取水用途" string(50) none;
        valid_until "有效期至" date none;
    }
    "河湖巡查问题信息" {
        "河长巡河、暗访和群众举报发现的河湖问题及整改结果。"
        "315009" "部门" "生态环保" "数据库" "每日" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        issue_no "问题编号" string(30) none;
        river_name "河流名称" string(50) none;
        issue_type "问题类型" string(50) none;
        location "位置" string(200) none;
        found_on "发现日期" date none;
        rectified "是否整改" boolean none;
        inspector "巡查人" string(50) name;
    }
    "水务工程项目信息" {
        "河道整治、管网建设、水库除险加固等水务工程的投资、工期和进度。"
        "204010" "主题" "城市建设" "电子表格" "每月" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        project_name "项目名称" string(200) none;
        category "工程类别" string(50) none;
        investment "总投资（万元）" number none;
        contractor "施工单位" string(200) none;
        progress "形象进度" string(100) none;
        completed_on "完工日期" date none;
    }
    "三防责任人信息" {
        "防汛、防旱、防风责任人及水库、河道、易涝点的包干责任人和联系电话。"
        "315011" "部门" "公共安全" "电子表格" "每年" "重要"
        "有条件共享" SC_PERSON ""
        "不予开放" ""
        object_name "责任对象" string(200) none;
        role "责任类别" string(50) none;
        person_name "责任人姓名" string(50) name;
        position "职务" string(50) none;
        mobile "手机号码" string(11) mobile;
        year "年度" integer none;
    }
    "用水量统计信息" {
        "按月统计的全区供水量、售水量、分类用水量和产销差率。"
        "205012" "主题" "经济发展" "电子表格" "每月" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        stat_month "统计月份" string(7) none;
        supplied_10k_m3 "供水量（万立方米）" number none;
        sold_10k_m3 "售水量（万立方米）" number none;
        residential_10k_m3 "居民生活用水量（万立方米）" number none;
        loss_rate "产销差率" number none;
    }
};
