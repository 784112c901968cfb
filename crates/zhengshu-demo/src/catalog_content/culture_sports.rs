//! 文化广电旅游体育: culture venues, heritage, tourism, sports, libraries, media.

use super::basis::*;
use super::{DemoItem, DemoResource};

/// The resources of every culture, broadcasting, tourism and sports unit.
pub(super) const RESOURCES: &[DemoResource] = resources! {
    "公共文化场馆信息" {
        "图书馆、文化馆、博物馆、美术馆和街道综合文化站的位置、开放时间和服务项目。"
        "206001" "主题" "教育文化" "电子表格" "每季度" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        venue_name "场馆名称" string(200) none;
        venue_type "场馆类型" string(20) none;
        address "地址" string(200) none;
        opening_hours "开放时间" string(200) none;
        services "服务项目" string(500) none;
        phone "咨询电话" string(20) none;
        longitude "经度" number none;
        latitude "纬度" number none;
    }
    "公共体育场地设施信息" {
        "体育中心、学校开放场馆、社区健身路径和球场的位置、类型和开放时间。"
        "206002" "主题" "教育文化" "服务接口" "每月" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        facility_name "场地名称" string(200) none;
        sport "运动项目" string(100) none;
        address "地址" string(200) none;
        open_to_public "是否免费开放" boolean none;
        opening_hours "开放时间" string(200) none;
        street "所属街道" string(20) none;
        longitude "经度" number none;
        latitude "纬度" number none;
    }
    "文物保护单位信息" {
        "各级文物保护单位和不可移动文物的名称、年代、类别和保护范围。"
        "206003" "主题" "教育文化" "电子表格" "每年" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        relic_name "名称" string(200) none;
        level "保护级别" string(20) none;
        era "年代" string(50) none;
        category "类别" string(20) none "古建筑、古遗址、近现代重要史迹等";
        address "地址" string(200) none;
        protection_zone "保护范围" string(1000) none;
    }
    "非物质文化遗产项目信息" {
        "各级非物质文化遗产代表性项目及保护单位。"
        "206004" "主题" "教育文化" "电子表格" "每年" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        item_name "项目名称" string(200) none;
        category "类别" string(50) none;
        level "级别" string(20) none;
        protector "保护单位" string(200) none;
        listed_year "列入年份" integer none;
    }
    "非物质文化遗产传承人信息" {
        "各级非遗代表性传承人的认定和传承活动补助发放。"
        "320005" "部门" "教育文化" "电子表格" "每年" "一般"
        "有条件共享" SC_PERSON ""
        "不予开放" ""
        name "姓名" string(50) name;
        id_no "身份证号码" string(18) resident_id;
        item_name "传承项目" string(200) none;
        level "级别" string(20) none;
        subsidy "传承补助（元）" number none;
        mobile "手机号码" string(11) mobile;
    }
    "A级旅游景区信息" {
        "A级旅游景区的名称、等级、地址、开放时间、门票价格和最大承载量。"
        "205006" "主题" "经济发展" "电子表格" "每季度" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        scenic_name "景区名称" string(200) none;
        grade "等级" string(10) none;
        address "地址" string(200) none;
        opening_hours "开放时间" string(200) none;
        ticket_price "门票价格（元）" number none;
        max_capacity "最大承载量（人次/日）" integer none;
    }
    "旅游住宿设施信息" {
        "星级饭店、旅游民宿的名称、等级、客房数和地址。"
        "205007" "主题" "经济发展" "电子表格" "每季度" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        hotel_name "名称" string(200) none;
        star "星级" string(10) none;
        rooms "客房数" integer none;
        address "地址" string(200) none;
        phone "前台电话" string(20) none;
    }
    "景区客流监测信息" {
        "重点景区实时在园人数、入园人次和舒适度。"
        "209008" "主题" "公共安全" "服务接口" "实时" "一般"
        "无条件共享" "" ""
        "有条件开放" OC_API
        scenic_name "景区名称" string(200) none;
        measured_at "监测时间" datetime none;
        in_park "在园人数" integer none;
        entries_today "当日入园人次" integer none;
        comfort "舒适度" string(10) none;
    }
    "文化市场经营许可信息" {
        "网吧、歌舞娱乐、游艺娱乐场所和演出经纪机构的经营许可信息。"
        "105009" "基础" "教育文化" "数据库" "每周" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        licence_no "许可证号" string(30) none;
        unit_name "单位名称" string(200) none;
        uscc "统一社会信用代码" string(18) none;
        licence_type "许可类别" string(50) none;
        address "经营地址" string(200) none;
        valid_until "有效期至" date none;
    }
    "文化市场综合执法案件信息" {
        "文化、旅游、出版、广电市场违法经营行为的检查和行政处罚信息。"
        "320010" "部门" "教育文化" "数据库" "每周" "一般"
        "有条件共享" SC_CASE ""
        "不予开放" ""
        case_no "案件编号" string(30) none;
        party_name "当事人" string(200) none;
        violation "违法行为" string(500) none;
        penalty "处罚结果" string(500) none;
        closed_on "结案日期" date none;
    }
    "图书馆读者借阅信息" {
        "读者证办理和图书借还记录，用于通借通还和馆藏服务。"
        "320011" "部门" "教育文化" "数据库" "实时" "重要"
        "不予共享" "" NB_SENSITIVE
        "不予开放" ""
        reader_no "读者证号" string(20) none;
        reader_name "读者姓名" string(50) name;
        id_no "身份证号码" string(18) resident_id;
        book_title "题名" string(200) other;
        borrowed_at "借出时间" datetime none;
        returned_at "归还时间" datetime none;
    }
    "图书馆馆藏目录" {
        "公共图书馆馆藏图书、期刊和数字资源的书目信息及可借状态。"
        "206012" "主题" "教育文化" "服务接口" "每日" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        isbn "ISBN" string(20) none;
        title "题名" string(200) none;
        author "责任者" string(200) none;
        publisher "出版社" string(100) none;
        call_no "索书号" string(50) none;
        available "可借册数" integer none;
    }
    "文体活动信息" {
        "公益文化活动、全民健身赛事和演出展览的时间、地点和报名方式。"
        "206013" "主题" "教育文化" "自描述格式" "每周" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        activity_name "活动名称" string(200) none;
        activity_type "活动类型" string(50) none;
        venue "活动地点" string(200) none;
        starts_at "开始时间" datetime none;
        ends_at "结束时间" datetime none;
        organiser "主办单位" string(200) none;
        signup "报名方式" string(200) none;
    }
    "广播电视节目播出信息" {
        "区级融媒体中心广播电视节目的播出单、栏目和时长。"
        "320014" "部门" "教育文化" "流媒体" "每日" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        channel "频道" string(50) none;
        programme "节目名称" string(200) none;
        column_name "栏目" string(100) none;
        aired_at "播出时间" datetime none;
        duration_s "时长（秒）" integer none;
    }
    "旅游统计信息" {
        "接待游客人次、旅游收入和过夜游客数的月度统计。"
        "205015" "主题" "经济发展" "电子表格" "每月" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        stat_month "统计月份" string(7) none;
        visitors "接待游客（万人次）" number none;
        overnight "过夜游客（万人次）" number none;
        revenue "旅游总收入（亿元）" number none;
        growth "同比增长" number none;
    }
};
