//! 公安: population registers, ID cards, vehicles, drivers, public order.

use super::basis::*;
use super::{DemoItem, DemoResource};

/// The resources of every public-security unit.
pub(super) const RESOURCES: &[DemoResource] = resources! {
    "户籍人口信息" {
        "辖区常住户口登记的人口基本信息，包括公民身份号码、姓名、性别、民族、出生日期、户籍地址和户主关系，是人口基础信息库的权威来源。"
        "101001" "基础" "公共安全" "数据库" "实时" "核心"
        "有条件共享" SC_VERIFY ""
        "不予开放" ""
        id_no "公民身份号码" string(18) resident_id;
        name "姓名" string(50) name;
        gender "性别" string(2) none "GB/T 2261.1";
        ethnicity "民族" string(20) none "GB/T 3304";
        birth_date "出生日期" date none;
        household_address "户籍地址" string(200) address;
        household_no "户号" string(20) none;
        relation_to_head "与户主关系" string(20) none;
        police_station "户籍派出所" string(100) none;
        registered_on "户口登记日期" date none;
        status "户口状态" string(10) none "正常、迁出、死亡注销";
    }
    "流动人口居住登记信息" {
        "非本市户籍人员在辖区申报居住登记的信息，包括居住地址、居住事由、登记日期和居住证办理情况。"
        "101002" "基础" "公共安全" "数据库" "每日" "重要"
        "有条件共享" SC_PERSON ""
        "不予开放" ""
        id_no "公民身份号码" string(18) resident_id;
        name "姓名" string(50) name;
        mobile "手机号码" string(11) mobile;
        origin_address "户籍地址" string(200) address;
        residence_address "居住地址" string(200) address;
        reason "居住事由" string(20) none "务工、经商、投靠亲友、就学等";
        registered_on "登记日期" date none;
        permit_no "居住证号码" string(30) none;
        street "居住街道" string(20) none;
        community "居住社区" string(30) none;
    }
    "居民身份证办理信息" {
        "居民身份证申领、换领、补领的受理和制发信息，用于证件核验和办理进度查询。"
        "105003" "基础" "公共服务" "数据库" "每日" "重要"
        "有条件共享" SC_VERIFY ""
        "不予开放" ""
        application_no "受理编号" string(30) none;
        id_no "公民身份号码" string(18) resident_id;
        name "姓名" string(50) name;
        apply_type "申领类型" string(10) none "申领、换领、补领";
        accepted_on "受理日期" date none;
        issuing_authority "签发机关" string(100) none;
        valid_from "有效期起始日期" date none;
        valid_until "有效期截止日期" date none;
        status "办理状态" string(20) none;
    }
    "出生登记信息" {
        "新生儿申报户口的出生登记信息，包括新生儿姓名、出生日期、出生地、父母身份信息。"
        "101004" "基础" "公共服务" "数据库" "每日" "重要"
        "有条件共享" SC_PERSON ""
        "不予开放" ""
        child_name "新生儿姓名" string(50) name;
        child_id_no "新生儿公民身份号码" string(18) resident_id;
        birth_date "出生日期" date none;
        birthplace "出生地" string(100) none;
        birth_cert_no "出生医学证明编号" string(20) none;
        father_id_no "父亲公民身份号码" string(18) resident_id;
        mother_id_no "母亲公民身份号码" string(18) resident_id;
        registered_on "登记日期" date none;
    }
    "死亡注销户口信息" {
        "因死亡注销户口的人员信息，用于社保待遇停发、养老金核查等跨部门协同。"
        "101005" "基础" "社会保障" "数据库" "每日" "重要"
        "无条件共享" "" ""
        "不予开放" ""
        id_no "公民身份号码" string(18) resident_id;
        name "姓名" string(50) name;
        death_date "死亡日期" date none;
        cancelled_on "注销日期" date none;
        death_cert_no "死亡证明编号" string(30) none;
        police_station "注销派出所" string(100) none;
    }
    "户口迁移信息" {
        "户口迁入、迁出及市内迁移的办理信息，包括迁移类型、迁出地、迁入地和办理日期。"
        "101006" "基础" "公共服务" "数据库" "每日" "重要"
        "有条件共享" SC_PERSON ""
        "不予开放" ""
        id_no "公民身份号码" string(18) resident_id;
        name "姓名" string(50) name;
        move_type "迁移类型" string(20) none "人才引进、随迁、投靠、毕业生接收等";
        from_address "迁出地址" string(200) address;
        to_address "迁入地址" string(200) address;
        handled_on "办理日期" date none;
        police_station "办理派出所" string(100) none;
    }
    "机动车登记信息" {
        "在本市登记的机动车注册、转移、变更、抵押和注销登记信息。"
        "302007" "部门" "交通出行" "数据库" "每日" "重要"
        "有条件共享" SC_PERSON ""
        "不予开放" ""
        plate_no "号牌号码" string(10) none;
        plate_type "号牌种类" string(10) none;
        vehicle_type "车辆类型" string(20) none;
        brand_model "品牌型号" string(100) none;
        vin "车辆识别代号" string(17) none;
        owner_name "机动车所有人" string(200) name;
        owner_id_no "所有人身份证明号码" string(18) resident_id;
        registered_on "初次登记日期" date none;
        fuel_type "燃料种类" string(10) none;
        status "机动车状态" string(10) none;
    }
    "驾驶人信息" {
        "机动车驾驶证申领、换证及记分状态信息，用于驾驶资格核验。"
        "302008" "部门" "交通出行" "数据库" "每日" "重要"
        "有条件共享" SC_VERIFY ""
        "不予开放" ""
        licence_no "驾驶证号" string(18) other "与公民身份号码一致";
        name "姓名" string(50) name;
        id_no "公民身份号码" string(18) resident_id;
        mobile "手机号码" string(11) mobile;
        vehicle_class "准驾车型" string(10) none;
        first_issued_on "初次领证日期" date none;
        valid_until "有效期至" date none;
        points "累积记分" integer none;
        status "驾驶证状态" string(10) none;
    }
    "治安案件统计" {
        "按月、按街道汇总的治安案件受理和查处数量，不含案件细节，用于社会治安形势分析。"
        "209009" "主题" "公共安全" "电子表格" "每月" "重要"
        "无条件共享" "" ""
        "不予开放" ""
        stat_month "统计月份" string(7) none;
        street "街道" string(20) none;
        case_type "案件类别" string(50) none;
        accepted "受理数" integer none;
        investigated "查处数" integer none;
        people_punished "处罚人数" integer none;
    }
    "刑事案件侦查信息" {
        "刑事案件立案、侦查和移送起诉信息，涉及侦查秘密。"
        "302010" "部门" "公共安全" "数据库" "实时" "核心"
        "不予共享" "" NB_SECRET
        "不予开放" ""
        case_no "案件编号" string(30) none;
        case_type "案件类别" string(50) none;
        filed_on "立案日期" date none;
        suspect_name "犯罪嫌疑人姓名" string(50) name;
        suspect_id_no "犯罪嫌疑人公民身份号码" string(18) resident_id;
        handling_unit "办案单位" string(100) none;
        stage "办理阶段" string(20) none;
    }
    "无犯罪记录证明开具信息" {
        "为个人开具无犯罪记录证明的申请和出具信息，用于就业、出国等事项的证明核验。"
        "105011" "基础" "公共服务" "服务接口" "实时" "重要"
        "有条件共享" SC_VERIFY ""
        "不予开放" ""
        cert_no "证明编号" string(30) none;
        name "姓名" string(50) name;
        id_no "公民身份号码" string(18) resident_id;
        purpose "用途" string(50) none;
        issued_on "出具日期" date none;
        issuing_unit "出具单位" string(100) none;
    }
    "出租屋治安管理信息" {
        "出租屋及租住人员登记、旅业和出租屋治安检查的记录。"
        "302012" "部门" "公共安全" "数据库" "每日" "重要"
        "有条件共享" SC_PERSON ""
        "不予开放" ""
        house_code "房屋编码" string(30) none;
        address "房屋地址" string(200) none;
        landlord_name "出租人姓名" string(50) name;
        landlord_mobile "出租人手机号码" string(11) mobile;
        tenants "租住人数" integer none;
        last_checked_on "最近检查日期" date none;
        check_result "检查结果" string(100) none;
    }
    "视频监控点位信息" {
        "公共安全视频监控点位的位置、类型和所属单位，供视频资源共享调用。"
        "103013" "基础" "公共安全" "数据库" "每月" "重要"
        "有条件共享" SC_SPATIAL ""
        "不予开放" ""
        camera_code "点位编码" string(20) none "GB/T 28181";
        camera_name "点位名称" string(100) none;
        camera_type "摄像机类型" string(20) none "球机、枪机、人脸抓拍";
        longitude "经度" number none;
        latitude "纬度" number none;
        owner_unit "建设单位" string(100) none;
        street "所属街道" string(20) none;
        online "是否在线" boolean none;
    }
    "保安服务公司许可信息" {
        "保安服务公司设立许可和保安员证核发的汇总信息。"
        "302014" "部门" "公共安全" "电子表格" "每月" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        licence_no "许可证编号" string(30) none;
        company_name "公司名称" string(200) none;
        uscc "统一社会信用代码" string(18) none;
        address "注册地址" string(200) none;
        issued_on "发证日期" date none;
        guards "持证保安员人数" integer none;
    }
    "公章刻制备案信息" {
        "印章刻制业务单位和印章刻制备案信息，用于印章真伪查验。"
        "302015" "部门" "公共安全" "数据库" "每日" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        seal_code "印章编码" string(30) none;
        unit_name "用章单位" string(200) none;
        uscc "统一社会信用代码" string(18) none;
        seal_type "印章类型" string(20) none;
        engraver "刻制单位" string(200) none;
        filed_on "备案日期" date none;
    }
    "出入境证件办理信息" {
        "护照、往来港澳通行证、往来台湾通行证的受理和签发信息。"
        "302016" "部门" "公共服务" "数据库" "每日" "重要"
        "有条件共享" SC_VERIFY ""
        "不予开放" ""
        application_no "受理编号" string(30) none;
        id_no "公民身份号码" string(18) resident_id;
        name "姓名" string(50) name;
        doc_type "证件类型" string(20) none;
        doc_no "证件号码" string(20) other;
        accepted_on "受理日期" date none;
        issued_on "签发日期" date none;
    }
    "派出所及警务室分布信息" {
        "辖区派出所、社区警务室的名称、地址、服务时间和联系电话。"
        "201017" "主题" "公共服务" "电子表格" "每年" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        station_name "名称" string(100) none;
        station_type "类型" string(20) none "派出所、警务室、警务工作站";
        address "地址" string(200) none;
        phone "值班电话" string(20) none;
        service_hours "服务时间" string(100) none;
        longitude "经度" number none;
        latitude "纬度" number none;
    }
    "犬只登记信息" {
        "养犬登记、年检和免疫信息，用于文明养犬管理和犬只伤人事件处置。"
        "302018" "部门" "公共安全" "数据库" "每日" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        tag_no "犬牌号" string(20) none;
        breed "犬种" string(50) none;
        owner_name "犬主姓名" string(50) name;
        owner_mobile "犬主手机号码" string(11) mobile;
        owner_address "饲养地址" string(200) address;
        vaccinated_on "免疫日期" date none;
        registered_on "登记日期" date none;
    }
};
