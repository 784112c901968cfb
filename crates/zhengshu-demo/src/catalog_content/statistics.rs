//! 统计: economic and social statistics, mostly published.

use super::basis::*;
use super::{DemoItem, DemoResource};

/// The resources of every statistics unit.
pub(super) const RESOURCES: &[DemoResource] = resources! {
    "地区生产总值统计" {
        "按季度核算的地区生产总值及三次产业增加值和增速。"
        "205001" "主题" "经济发展" "电子表格" "每季度" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        period "统计期" string(10) none "YYYY-Qn";
        gdp "地区生产总值（亿元）" number none;
        primary "第一产业增加值（亿元）" number none;
        secondary "第二产业增加值（亿元）" number none;
        tertiary "第三产业增加值（亿元）" number none;
        growth "同比增长" number none;
    }
    "规模以上工业统计" {
        "规模以上工业增加值、工业总产值和主要行业产值的月度统计。"
        "205002" "主题" "经济发展" "电子表格" "每月" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        stat_month "统计月份" string(7) none;
        industry "行业" string(100) none;
        enterprises "企业数" integer none;
        output_value "工业总产值（亿元）" number none;
        value_added_growth "增加值增速" number none;
    }
    "固定资产投资统计" {
        "固定资产投资总额及分产业、分领域投资增速。"
        "205003" "主题" "经济发展" "电子表格" "每月" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        stat_month "统计月份" string(7) none;
        category "投资领域" string(50) none;
        investment "完成投资（亿元）" number none;
        growth "同比增长" number none;
        projects "在建项目数" integer none;
    }
    "社会消费品零售总额统计" {
        "社会消费品零售总额及限额以上单位分行业零售额。"
        "205004" "主题" "经济发展" "电子表格" "每月" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        stat_month "统计月份" string(7) none;
        category "分类" string(50) none;
        retail_sales "零售额（亿元）" number none;
        growth "同比增长" number none;
        online_share "网上零售占比" number none;
    }
    "常住人口统计" {
        "年末常住人口、户籍人口、出生率、死亡率和自然增长率。"
        "201005" "主题" "公共服务" "电子表格" "每年" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        stat_year "年度" integer none;
        resident_population "常住人口（万人）" number none;
        registered_population "户籍人口（万人）" number none;
        birth_rate "出生率（‰）" number none;
        death_rate "死亡率（‰）" number none;
        natural_growth "自然增长率（‰）" number none;
    }
    "分街道人口统计" {
        "各街道的常住人口、户籍人口、面积和人口密度。"
        "201006" "主题" "公共服务" "电子表格" "每年" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        stat_year "年度" integer none;
        street "街道" string(20) none;
        area_km2 "面积（平方公里）" number none;
        resident_population "常住人口（万人）" number none;
        registered_population "户籍人口（万人）" number none;
        density "人口密度（人/平方公里）" integer none;
    }
    "统计年鉴" {
        "全面反映全区经济社会发展情况的年度统计资料汇编。"
        "205007" "主题" "经济发展" "电子文件" "每年" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        yearbook_year "年鉴年份" integer none;
        chapter "篇章" string(100) none;
        table_no "表号" string(20) none;
        table_title "表名" string(200) none;
        file_url "文件地址" string(500) none;
    }
    "国民经济和社会发展统计公报" {
        "年度国民经济和社会发展统计公报的主要指标。"
        "205008" "主题" "经济发展" "电子文件" "每年" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        report_year "年度" integer none;
        indicator "指标名称" string(200) none;
        value "指标值" number none;
        unit "计量单位" string(20) none;
        growth "比上年增长" number none;
    }
    "居民收支统计" {
        "居民人均可支配收入、人均消费支出及构成。"
        "202009" "主题" "社会保障" "电子表格" "每季度" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        period "统计期" string(10) none;
        disposable_income "人均可支配收入（元）" number none;
        consumption "人均消费支出（元）" number none;
        income_growth "收入增长" number none;
        engel "恩格尔系数" number none;
    }
    "名录库企业信息" {
        "基本单位名录库中法人单位和产业活动单位的行业代码、规模和联系方式。"
        "102010" "基础" "经济发展" "数据库" "每月" "重要"
        "有条件共享" SC_ENTERPRISE ""
        "不予开放" ""
        uscc "统一社会信用代码" string(18) none;
        unit_name "单位名称" string(200) none;
        industry_code "行业代码" string(10) none "GB/T 4754";
        scale "规模" string(10) none;
        above_scale "是否规模以上" boolean none;
        street "所在街道" string(20) none;
    }
    "统计调查原始数据" {
        "\"四上\"企业联网直报的统计调查表原始数据，能够识别单个统计调查对象。"
        "319011" "部门" "经济发展" "数据库" "每月" "核心"
        "不予共享" "" NB_STATISTICS
        "不予开放" ""
        uscc "统一社会信用代码" string(18) none;
        unit_name "单位名称" string(200) none;
        form_no "报表表号" string(20) none;
        period "报告期" string(7) none;
        indicator "指标" string(100) none;
        value "数值" number none;
    }
    "人口普查汇总数据" {
        "第七次全国人口普查的分街道汇总资料，包括年龄结构、受教育程度和家庭户规模。"
        "201012" "主题" "公共服务" "电子表格" "其他" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        street "街道" string(20) none;
        population "人口数" integer none;
        age_0_14 "0-14岁占比" number none;
        age_15_59 "15-59岁占比" number none;
        age_60_plus "60岁及以上占比" number none;
        college_per_100k "每10万人大学文化人数" integer none;
        household_size "平均家庭户规模" number none;
    }
    "经济普查汇总数据" {
        "第五次全国经济普查分行业、分街道的法人单位数、从业人员和营业收入汇总。"
        "205013" "主题" "经济发展" "电子表格" "其他" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        industry "行业门类" string(50) none;
        street "街道" string(20) none;
        legal_units "法人单位数" integer none;
        employees "从业人员（人）" integer none;
        revenue "营业收入（亿元）" number none;
    }
    "物价监测信息" {
        "农贸市场和超市主要食品、日用品价格的监测数据。"
        "205014" "主题" "经济发展" "电子表格" "每周" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        monitored_on "监测日期" date none;
        market "监测点" string(100) none;
        commodity "品种" string(50) none;
        spec "规格等级" string(50) none;
        price "价格（元）" number none;
        unit "计价单位" string(10) none;
    }
};
