//! 其他: general offices, archives, government affairs, ports, foreign affairs.

use super::basis::*;
use super::{DemoItem, DemoResource};

/// The resources of every unit without a more specific kind.
pub(super) const RESOURCES: &[DemoResource] = resources! {
    "政府信息主动公开目录" {
        "主动公开的政府信息的索引号、标题、发布机构、发布日期和公开方式。"
        "210001" "主题" "政务管理" "数据库" "每日" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        index_no "索引号" string(50) none;
        title "标题" string(200) none;
        publisher "发布机构" string(100) none;
        category "主题分类" string(50) none;
        doc_no "文号" string(50) none;
        published_on "发布日期" date none;
        url "链接地址" string(500) none;
    }
    "依申请公开办理信息" {
        "政府信息公开申请的登记、受理、答复和行政复议诉讼情况。"
        "332002" "部门" "政务管理" "数据库" "每日" "一般"
        "有条件共享" SC_PERSON ""
        "不予开放" ""
        request_no "申请编号" string(30) none;
        applicant "申请人" string(200) name;
        mobile "联系电话" string(11) mobile;
        content "申请内容" string(2000) none;
        received_on "收到日期" date none;
        reply_type "答复类型" string(50) none;
        replied_on "答复日期" date none;
    }
    "政府公文信息" {
        "政府及部门发布的规范性文件和其他公文的文号、标题、成文日期和全文。"
        "210003" "主题" "政务管理" "电子文件" "每日" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        doc_no "发文字号" string(50) none;
        title "标题" string(200) none;
        issuer "发文机关" string(100) none;
        written_on "成文日期" date none;
        published_on "发布日期" date none;
        full_text "正文" string(4000) none;
    }
    "人大代表建议和政协提案办理信息" {
        "人大代表建议、政协委员提案的交办、承办单位和办理答复情况。"
        "210004" "主题" "政务管理" "电子表格" "每年" "一般"
        "无条件共享" "" ""
        "有条件开放" OC_REGISTER
        proposal_no "建议（提案）编号" string(30) none;
        title "标题" string(200) none;
        proposer "领衔代表（委员）" string(50) none "公开的代表委员姓名";
        handler "主办单位" string(100) none;
        reply_category "答复类别" string(10) none "A、B、C类";
        replied_on "答复日期" date none;
    }
    "重点工作督查督办信息" {
        "政府工作报告任务、重点工作和领导批示事项的督办进度和完成情况。"
        "332005" "部门" "政务管理" "电子表格" "每月" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        task_no "督办编号" string(30) none;
        task "督办事项" string(500) none;
        lead_unit "牵头单位" string(100) none;
        deadline "完成时限" date none;
        progress "进展情况" string(1000) none;
        status "完成状态" string(10) none;
    }
    "档案目录信息" {
        "馆藏档案的全宗、案卷和文件级目录，开放档案供社会查阅利用。"
        "206006" "主题" "教育文化" "数据库" "每月" "一般"
        "无条件共享" "" ""
        "有条件开放" OC_REGISTER
        archive_no "档号" string(50) none;
        fonds "全宗名称" string(200) none;
        title "题名" string(500) none;
        year "年度" integer none;
        retention "保管期限" string(10) none;
        open_status "开放状态" string(10) none;
    }
    "档案查阅利用登记信息" {
        "到馆和线上查阅利用档案的人员、目的和调阅档案记录。"
        "332007" "部门" "政务管理" "数据库" "每日" "一般"
        "有条件共享" SC_PERSON ""
        "不予开放" ""
        visit_no "登记编号" string(30) none;
        visitor "查档人姓名" string(50) name;
        id_no "身份证号码" string(18) resident_id;
        purpose "利用目的" string(100) none;
        archives "调阅档号" string(500) none;
        visited_on "查阅日期" date none;
    }
    "机关办公用房信息" {
        "党政机关办公用房的位置、面积、使用单位和权属情况。"
        "332008" "部门" "政务管理" "电子表格" "每年" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        building "办公楼名称" string(200) none;
        address "地址" string(200) none;
        user_unit "使用单位" string(100) none;
        area_m2 "使用面积（平方米）" number none;
        ownership "权属" string(20) none;
    }
    "公务用车信息" {
        "党政机关公务用车的编制、车辆型号、使用单位和处置情况。"
        "332009" "部门" "政务管理" "电子表格" "每季度" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        plate_no "号牌号码" string(10) none;
        vehicle_type "车辆类型" string(20) none;
        model "品牌型号" string(100) none;
        user_unit "使用单位" string(100) none;
        acquired_on "购置日期" date none;
        status "车辆状态" string(10) none;
    }
    "口岸通关信息" {
        "口岸旅客和车辆通关量、通关时长和口岸开放时间。"
        "208010" "主题" "交通出行" "服务接口" "每日" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        port_name "口岸名称" string(100) none;
        stat_date "日期" date none;
        passengers "出入境旅客（人次）" integer none;
        vehicles "出入境车辆（辆次）" integer none;
        avg_wait_min "平均通关时长（分钟）" number none;
        opening_hours "开放时间" string(100) none;
    }
    "外事活动信息" {
        "外事接待、因公出国（境）团组审批等外事活动信息，部分事项涉及国家秘密。"
        "332011" "部门" "政务管理" "数据库" "每月" "重要"
        "不予共享" "" NB_SECRET
        "不予开放" ""
        record_no "记录编号" string(30) none;
        activity "外事活动" string(200) none;
        delegation "团组名称" string(200) none;
        members "团组人数" integer none;
        starts_on "开始日期" date none;
        ends_on "结束日期" date none;
    }
    "政府工作报告目标任务信息" {
        "年度政府工作报告确定的主要预期目标和重点任务分解。"
        "210012" "主题" "政务管理" "电子表格" "每年" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        report_year "年度" integer none;
        goal "目标任务" string(500) none;
        indicator "指标" string(100) none;
        target "目标值" string(50) none;
        lead_unit "牵头单位" string(100) none;
    }
};
