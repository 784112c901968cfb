//! 交通运输: public transport, taxis, road transport licences, roads, metro, postal services.

use super::basis::*;
use super::{DemoItem, DemoResource};

/// The resources of every transport unit.
pub(super) const RESOURCES: &[DemoResource] = resources! {
    "公交线路信息" {
        "常规公交线路的线路编号、首末站、途经站点、首末班时间和票价。"
        "208001" "主题" "交通出行" "自描述格式" "每周" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        line_no "线路编号" string(20) none;
        line_name "线路名称" string(50) none;
        operator "运营企业" string(200) none;
        first_stop "起点站" string(100) none;
        last_stop "终点站" string(100) none;
        stops "途经站点" string(2000) none;
        first_bus "首班时间" string(5) none;
        last_bus "末班时间" string(5) none;
        fare "票价（元）" number none;
    }
    "公交站点信息" {
        "公交站点的名称、位置、候车亭设施和停靠线路。"
        "208002" "主题" "交通出行" "电子表格" "每月" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        stop_code "站点编码" string(20) none;
        stop_name "站点名称" string(100) none;
        lines "停靠线路" string(500) none;
        shelter "是否有候车亭" boolean none;
        street "所属街道" string(20) none;
        longitude "经度" number none;
        latitude "纬度" number none;
    }
    "公交车辆实时位置信息" {
        "公交车辆车载定位终端上报的实时位置、速度和到站信息。"
        "208003" "主题" "交通出行" "服务接口" "实时" "一般"
        "无条件共享" "" ""
        "有条件开放" OC_API
        vehicle_no "车辆自编号" string(20) none;
        line_no "线路编号" string(20) none;
        reported_at "上报时间" datetime none;
        longitude "经度" number none;
        latitude "纬度" number none;
        speed "速度（公里/小时）" number none;
        next_stop "下一站" string(100) none;
    }
    "道路运输经营许可信息" {
        "道路旅客运输、货物运输和机动车维修经营许可证核发信息。"
        "105004" "基础" "交通出行" "数据库" "每周" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        licence_no "经营许可证号" string(30) none;
        operator "业户名称" string(200) none;
        uscc "统一社会信用代码" string(18) none;
        scope "经营范围" string(500) none;
        address "经营地址" string(200) none;
        issued_on "发证日期" date none;
        valid_until "有效期至" date none;
    }
    "道路运输车辆营运证信息" {
        "营运客车、货车和出租汽车的道路运输证核发和年审信息。"
        "105005" "基础" "交通出行" "数据库" "每日" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        cert_no "道路运输证号" string(30) none;
        plate_no "车牌号码" string(10) none;
        operator "业户名称" string(200) none;
        vehicle_type "车辆类型" string(20) none;
        seats_or_tonnage "核定载客/载质量" string(20) none;
        reviewed_on "年审日期" date none;
    }
    "网约车驾驶员从业资格信息" {
        "网络预约出租汽车驾驶员证和巡游出租汽车驾驶员从业资格证核发信息。"
        "311006" "部门" "交通出行" "数据库" "每日" "重要"
        "有条件共享" SC_VERIFY ""
        "不予开放" ""
        cert_no "从业资格证号" string(30) none;
        name "姓名" string(50) name;
        id_no "身份证号码" string(18) resident_id;
        mobile "手机号码" string(11) mobile;
        cert_type "资格类别" string(20) none;
        platform "服务平台" string(100) none;
        issued_on "发证日期" date none;
    }
    "出租汽车运营数据" {
        "巡游出租车和网约车订单的上下车时间、位置和里程（不含乘客信息）。"
        "208007" "主题" "交通出行" "数据库" "实时" "一般"
        "有条件共享" SC_FEED ""
        "有条件开放" OC_RESEARCH
        order_id "订单编号" string(40) none;
        plate_no "车牌号码" string(10) none;
        pickup_at "上车时间" datetime none;
        dropoff_at "下车时间" datetime none;
        pickup_lng "上车点经度" number none;
        pickup_lat "上车点纬度" number none;
        distance_km "里程（公里）" number none;
    }
    "道路设施信息" {
        "市政道路的名称、等级、起止点、长度、宽度和养护单位。"
        "103008" "基础" "交通出行" "数据库" "每年" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        road_code "道路编码" string(20) none;
        road_name "道路名称" string(100) none;
        grade "道路等级" string(20) none;
        start_point "起点" string(100) none;
        end_point "终点" string(100) none;
        length_m "长度（米）" number none;
        width_m "宽度（米）" number none;
        maintainer "养护单位" string(200) none;
    }
    "道路挖掘占用许可信息" {
        "城市道路挖掘和临时占用的许可、施工期限和恢复情况。"
        "311009" "部门" "交通出行" "电子表格" "每日" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        permit_no "许可编号" string(30) none;
        applicant "申请单位" string(200) none;
        road "涉及道路" string(200) none;
        purpose "挖掘/占用事由" string(200) none;
        starts_on "开始日期" date none;
        ends_on "结束日期" date none;
    }
    "轨道交通客流信息" {
        "地铁各线路、站点的进出站客流和断面客流。"
        "208010" "主题" "交通出行" "电子表格" "每日" "一般"
        "无条件共享" "" ""
        "有条件开放" OC_REGISTER
        stat_date "统计日期" date none;
        line "线路" string(20) none;
        station "站点" string(50) none;
        entries "进站量（人次）" integer none;
        exits "出站量（人次）" integer none;
        peak_hour_flow "高峰小时客流" integer none;
    }
    "轨道交通站点及出入口信息" {
        "地铁站点和出入口的名称、位置、无障碍设施和接驳公交线路。"
        "208011" "主题" "交通出行" "电子表格" "每季度" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        station "站点名称" string(50) none;
        line "所属线路" string(20) none;
        exit_name "出入口" string(20) none;
        accessible "是否有无障碍电梯" boolean none;
        connecting_buses "接驳公交线路" string(500) none;
        longitude "经度" number none;
        latitude "纬度" number none;
    }
    "快递企业及网点信息" {
        "取得快递业务经营许可的企业和末端网点、智能快件箱的分布信息。"
        "205012" "主题" "经济发展" "电子表格" "每季度" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        company "企业名称" string(200) none;
        licence_no "快递业务经营许可证号" string(30) none;
        outlet "网点名称" string(100) none;
        address "网点地址" string(200) none;
        outlet_type "网点类型" string(20) none;
        street "所属街道" string(20) none;
    }
    "交通运输行政处罚信息" {
        "道路运输、出租汽车和工程建设领域交通运输违法行为的行政处罚决定。"
        "104013" "基础" "信用服务" "数据库" "每日" "一般"
        "无条件共享" "" ""
        "有条件开放" OC_PUBLICITY
        decision_no "处罚决定书文号" string(50) none;
        party_name "当事人" string(200) name;
        plate_no "车牌号码" string(10) none;
        violation "违法行为" string(500) none;
        penalty "处罚内容" string(500) none;
        decided_on "处罚日期" date none;
    }
    "充电设施分布信息" {
        "公共充电站和充电桩的位置、数量、功率、运营单位和收费标准。"
        "208014" "主题" "交通出行" "服务接口" "每日" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        station_name "充电站名称" string(200) none;
        operator "运营单位" string(200) none;
        address "地址" string(200) none;
        fast_chargers "快充桩数" integer none;
        slow_chargers "慢充桩数" integer none;
        fee "充电服务费（元/千瓦时）" number none;
        longitude "经度" number none;
        latitude "纬度" number none;
    }
};
