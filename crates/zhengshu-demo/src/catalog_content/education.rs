//! 教育: schools, places, enrolment, students and teachers.

use super::basis::*;
use super::{DemoItem, DemoResource};

/// The resources of every education unit.
pub(super) const RESOURCES: &[DemoResource] = resources! {
    "学校名录" {
        "辖区幼儿园、小学、初中、高中及特殊教育学校的名称、办学性质、学段、地址和联系电话。"
        "206001" "主题" "教育文化" "电子表格" "每年" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        school_code "学校标识码" string(10) none;
        school_name "学校名称" string(100) none;
        school_type "办学类型" string(20) none "幼儿园、小学、九年一贯制、初中、完全中学等";
        ownership "办学性质" string(10) none "公办、民办";
        address "学校地址" string(200) none;
        phone "联系电话" string(20) none "学校办公电话";
        street "所属街道" string(20) none;
        longitude "经度" number none;
        latitude "纬度" number none;
    }
    "学校招生范围信息" {
        "公办中小学每年划定的招生地段（学区）范围及对应小区、楼栋。"
        "206002" "主题" "教育文化" "电子表格" "每年" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        school_year "招生年度" integer none;
        school_name "学校名称" string(100) none;
        stage "学段" string(10) none;
        enrolment_area "招生地段描述" string(2000) none;
        estates "对应小区" string(2000) none;
        planned_classes "计划招生班数" integer none;
        planned_places "计划学位数" integer none;
    }
    "学位申请信息" {
        "小一、初一学位申请的申请人、适龄儿童、居住和社保等材料及审核结果。"
        "304003" "部门" "教育文化" "数据库" "每日" "重要"
        "有条件共享" SC_PERSON ""
        "不予开放" ""
        application_no "申请编号" string(30) none;
        child_name "儿童姓名" string(50) name;
        child_id_no "儿童身份证号码" string(18) resident_id;
        guardian_name "监护人姓名" string(50) name;
        guardian_mobile "监护人手机号码" string(11) mobile;
        residence_address "居住地址" string(200) address;
        housing_type "住房类型" string(20) none "自购房、租房等";
        social_insurance_months "社保缴纳月数" integer none;
        stage "申请学段" string(10) none;
        review_result "审核结果" string(20) none;
        allocated_school "录取学校" string(100) none;
    }
    "在校学生学籍信息" {
        "全国中小学生学籍信息管理系统中辖区在校学生的学籍基本信息。"
        "304004" "部门" "教育文化" "数据库" "每月" "重要"
        "不予共享" "" "《中华人民共和国未成年人保护法》有关未成年人个人信息保护的规定"
        "不予开放" ""
        student_no "全国学籍号" string(20) other;
        name "姓名" string(50) name;
        id_no "身份证号码" string(18) resident_id;
        gender "性别" string(2) none;
        birth_date "出生日期" date none;
        school_name "就读学校" string(100) none;
        grade "年级" string(10) none;
        class_name "班级" string(20) none;
        enrolled_on "入学日期" date none;
        status "学籍状态" string(10) none;
    }
    "教师资格信息" {
        "教师资格认定的申请和证书信息，用于教师招聘和资格核验。"
        "105005" "基础" "教育文化" "数据库" "每月" "重要"
        "有条件共享" SC_VERIFY ""
        "不予开放" ""
        cert_no "教师资格证书号码" string(20) none;
        name "姓名" string(50) name;
        id_no "身份证号码" string(18) resident_id;
        cert_type "资格种类" string(20) none;
        subject "任教学科" string(20) none;
        issued_on "认定日期" date none;
        authority "认定机构" string(100) none;
    }
    "教职工信息" {
        "辖区中小学、幼儿园在编和聘用教职工的岗位、职称、学历和任教学科。"
        "304006" "部门" "教育文化" "数据库" "每半年" "重要"
        "有条件共享" SC_PERSON ""
        "不予开放" ""
        staff_no "教职工号" string(20) none;
        name "姓名" string(50) name;
        id_no "身份证号码" string(18) resident_id;
        school_name "所在学校" string(100) none;
        post "岗位类别" string(20) none;
        title "专业技术职称" string(20) none;
        education "最高学历" string(20) none;
        subject "任教学科" string(20) none;
    }
    "学位供给统计信息" {
        "按学段、街道统计的学位数、在校生数和学位缺口，用于学校规划建设。"
        "206007" "主题" "教育文化" "电子表格" "每年" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        school_year "学年" string(9) none "如2024-2025";
        street "街道" string(20) none;
        stage "学段" string(10) none;
        schools "学校数" integer none;
        places "学位数" integer none;
        students "在校生数" integer none;
        shortfall "学位缺口" integer none;
    }
    "民办学校办学许可信息" {
        "民办学校、校外培训机构的办学许可证核发、变更和年检信息。"
        "105008" "基础" "教育文化" "数据库" "每月" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        licence_no "办学许可证号" string(30) none;
        school_name "学校（机构）名称" string(200) none;
        uscc "统一社会信用代码" string(18) none;
        sponsor "举办者" string(200) none;
        address "办学地址" string(200) none;
        scope "办学内容" string(500) none;
        valid_until "有效期至" date none;
    }
    "学生资助信息" {
        "家庭经济困难学生的认定、助学金和免学费资助发放信息。"
        "202009" "主题" "社会保障" "数据库" "每半年" "重要"
        "有条件共享" SC_ASSIST ""
        "不予开放" ""
        student_no "全国学籍号" string(20) other;
        name "学生姓名" string(50) name;
        id_no "身份证号码" string(18) resident_id;
        difficulty_level "困难等级" string(10) none;
        aid_type "资助项目" string(50) none;
        amount "资助金额（元）" number none;
        bank_account "银行账号" string(30) bank_card;
        paid_on "发放日期" date none;
    }
    "学生体质健康监测信息" {
        "中小学生体质健康测试成绩和视力、体重等监测结果。"
        "304010" "部门" "医疗卫生" "数据库" "每年" "重要"
        "有条件共享" SC_HEALTH ""
        "不予开放" ""
        student_no "全国学籍号" string(20) other;
        name "学生姓名" string(50) name;
        school_name "学校名称" string(100) none;
        height_cm "身高（厘米）" number none;
        weight_kg "体重（千克）" number none;
        vision_left "左眼视力" number none;
        vision_right "右眼视力" number none;
        fitness_score "体测总分" number none;
        tested_on "测试日期" date none;
    }
    "校车备案信息" {
        "校车使用许可、车辆、驾驶人和行驶线路的备案信息。"
        "304011" "部门" "交通出行" "电子表格" "每半年" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        permit_no "校车标牌编号" string(20) none;
        plate_no "号牌号码" string(10) none;
        school_name "服务学校" string(100) none;
        driver_name "驾驶人姓名" string(50) name;
        route "行驶线路" string(500) none;
        seats "核载人数" integer none;
    }
    "中考成绩信息" {
        "初中学业水平考试考生成绩及录取结果。"
        "304012" "部门" "教育文化" "数据库" "每年" "重要"
        "有条件共享" SC_PERSON ""
        "不予开放" ""
        exam_no "考生号" string(20) none;
        name "姓名" string(50) name;
        id_no "身份证号码" string(18) resident_id;
        school_name "毕业学校" string(100) none;
        total_score "总分" number none;
        admitted_school "录取学校" string(100) none;
    }
    "教育收费信息" {
        "民办学校、幼儿园收费项目、标准和备案文号，依法向社会公示。"
        "206013" "主题" "教育文化" "电子表格" "每半年" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        school_name "学校名称" string(100) none;
        fee_item "收费项目" string(50) none;
        standard "收费标准（元/学期）" number none;
        filing_no "备案文号" string(50) none;
        effective_on "执行日期" date none;
    }
    "普惠性幼儿园认定信息" {
        "普惠性民办幼儿园认定结果、收费标准和补助发放情况。"
        "206014" "主题" "教育文化" "电子表格" "每年" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        kindergarten "幼儿园名称" string(100) none;
        address "地址" string(200) none;
        classes "班级数" integer none;
        children "在园幼儿数" integer none;
        fee_standard "保教费标准（元/月）" number none;
        recognised_on "认定日期" date none;
    }
    "校园安全隐患排查信息" {
        "学校消防、食堂、校舍和周边环境的安全隐患排查与整改情况。"
        "304015" "部门" "公共安全" "电子表格" "每月" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        school_name "学校名称" string(100) none;
        checked_on "检查日期" date none;
        hazard_type "隐患类型" string(50) none;
        description "隐患描述" string(500) none;
        rectified "是否整改" boolean none;
        rectified_on "整改日期" date none;
    }
    "课后服务开展情况" {
        "中小学校课后服务参与学生数、服务时段、课程类型和收费情况。"
        "206016" "主题" "教育文化" "电子表格" "每半年" "一般"
        "无条件共享" "" ""
        "有条件开放" OC_REGISTER
        school_name "学校名称" string(100) none;
        term "学期" string(20) none;
        participants "参与学生数" integer none;
        participation_rate "参与率" number none;
        course_types "课程类型" string(200) none;
        fee_per_term "收费标准（元/学期）" number none;
    }
};
