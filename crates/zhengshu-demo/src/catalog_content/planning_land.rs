//! 规划和自然资源: planning, land, real-estate registration, urban renewal, surveying.

use super::basis::*;
use super::{DemoItem, DemoResource};

/// The resources of every planning, land and real-estate unit.
pub(super) const RESOURCES: &[DemoResource] = resources! {
    "不动产登记信息" {
        "土地使用权、房屋所有权等不动产首次、转移、变更和注销登记信息。"
        "103001" "基础" "城市建设" "数据库" "实时" "核心"
        "有条件共享" SC_VERIFY ""
        "不予开放" ""
        unit_no "不动产单元号" string(28) none;
        cert_no "不动产权证书号" string(50) none;
        right_holder "权利人" string(200) name;
        holder_id_no "权利人身份证号码" string(18) resident_id;
        location "坐落" string(200) none;
        usage "用途" string(50) none;
        area "面积（平方米）" number none;
        right_type "权利类型" string(50) none;
        registered_on "登记日期" date none;
    }
    "不动产抵押登记信息" {
        "不动产抵押权设立、变更和注销登记信息。"
        "314002" "部门" "经济发展" "数据库" "实时" "重要"
        "有条件共享" SC_PERSON ""
        "不予开放" ""
        cert_no "不动产登记证明号" string(50) none;
        unit_no "不动产单元号" string(28) none;
        mortgagor "抵押人" string(200) name;
        mortgagee "抵押权人" string(200) none;
        amount "被担保主债权数额（万元）" number none;
        term "债务履行期限" string(50) none;
        registered_on "登记日期" date none;
    }
    "建设用地规划许可信息" {
        "建设用地规划许可证核发信息，包括用地单位、用地位置、用地面积和用地性质。"
        "204003" "主题" "城市建设" "电子表格" "每周" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        permit_no "许可证编号" string(30) none;
        land_user "用地单位" string(200) none;
        project_name "项目名称" string(200) none;
        location "用地位置" string(200) none;
        area "用地面积（平方米）" number none;
        land_use "用地性质" string(50) none;
        issued_on "发证日期" date none;
    }
    "建设工程规划许可信息" {
        "建设工程规划许可证核发信息，包括建设规模、容积率和建筑高度。"
        "204004" "主题" "城市建设" "电子表格" "每周" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        permit_no "许可证编号" string(30) none;
        builder "建设单位" string(200) none;
        project_name "项目名称" string(200) none;
        floor_area "总建筑面积（平方米）" number none;
        plot_ratio "容积率" number none;
        height "建筑高度（米）" number none;
        issued_on "发证日期" date none;
    }
    "土地供应信息" {
        "国有建设用地招拍挂出让、协议出让和划拨供应的地块、成交价和受让人。"
        "205005" "主题" "经济发展" "电子表格" "每月" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        parcel_no "宗地号" string(30) none;
        location "宗地位置" string(200) none;
        area "宗地面积（平方米）" number none;
        land_use "土地用途" string(50) none;
        supply_mode "供地方式" string(20) none;
        price "成交价（万元）" number none;
        transferee "受让单位" string(200) none;
        signed_on "合同签订日期" date none;
    }
    "法定图则信息" {
        "法定图则的规划范围、地块编号、用地性质和开发强度控制指标。"
        "103006" "基础" "城市建设" "图形图像" "其他" "重要"
        "有条件共享" SC_SPATIAL ""
        "有条件开放" OC_REGISTER
        plan_code "图则编号" string(30) none;
        plan_name "图则名称" string(100) none;
        block_no "地块编号" string(30) none;
        land_use "用地性质" string(20) none;
        area "用地面积（平方米）" number none;
        plot_ratio "容积率上限" number none;
        approved_on "批准日期" date none;
    }
    "城市更新单元计划信息" {
        "城市更新单元的计划立项、专项规划审批和实施主体确认信息。"
        "204007" "主题" "城市建设" "电子表格" "每月" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        unit_name "更新单元名称" string(200) none;
        street "所属街道" string(20) none;
        area "拆除范围用地面积（平方米）" number none;
        renewal_mode "更新方式" string(20) none "拆除重建、综合整治";
        applicant "申报主体" string(200) none;
        stage "审批阶段" string(50) none;
        approved_on "批准日期" date none;
    }
    "土地整备项目信息" {
        "土地整备项目的范围、整备用地面积、补偿资金和实施进度。"
        "314008" "部门" "城市建设" "电子表格" "每季度" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        project_name "项目名称" string(200) none;
        street "所属街道" string(20) none;
        area "整备用地面积（平方米）" number none;
        compensation "补偿资金（万元）" number none;
        progress "实施进度" string(100) none;
        started_on "启动日期" date none;
    }
    "房屋征收补偿信息" {
        "房屋征收项目中被征收人、房屋面积、补偿方式和补偿金额。"
        "314009" "部门" "城市建设" "数据库" "每月" "重要"
        "有条件共享" SC_PERSON ""
        "不予开放" ""
        project_name "征收项目" string(200) none;
        owner_name "被征收人" string(50) name;
        owner_id_no "被征收人身份证号码" string(18) resident_id;
        house_address "房屋地址" string(200) address;
        area "房屋面积（平方米）" number none;
        compensation_mode "补偿方式" string(20) none;
        amount "补偿金额（万元）" number none;
    }
    "违法建筑查处信息" {
        "违法用地和违法建筑的巡查发现、立案查处和拆除情况。"
        "314010" "部门" "城市建设" "数据库" "每日" "一般"
        "无条件共享" "" ""
        "不予开放" ""
        case_no "案件编号" string(30) none;
        location "位置" string(200) none;
        area "违建面积（平方米）" number none;
        found_on "发现日期" date none;
        measure "处置措施" string(100) none;
        demolished "是否拆除" boolean none;
        street "所属街道" string(20) none;
    }
    "基础测绘成果信息" {
        "1:500 至 1:2000 地形图、数字正射影像和三维模型等基础测绘成果目录。"
        "103011" "基础" "城市建设" "图形图像" "每年" "核心"
        "不予共享" "" "《中华人民共和国测绘法》及《测绘地理信息管理工作国家秘密范围的规定》"
        "不予开放" ""
        sheet_no "图幅号" string(30) none;
        product_type "成果类型" string(50) none;
        scale "比例尺" string(20) none;
        surveyed_on "测绘日期" date none;
        secrecy "密级" string(10) none;
    }
    "标准地址信息" {
        "标准地址库中的楼栋、门牌和房屋地址编码及坐标。"
        "103012" "基础" "城市建设" "数据库" "每日" "重要"
        "无条件共享" "" ""
        "不予开放" ""
        address_code "地址编码" string(30) none;
        full_address "标准地址" string(200) none;
        building_code "楼栋编码" string(30) none;
        street "街道" string(20) none;
        community "社区" string(30) none;
        longitude "经度" number none;
        latitude "纬度" number none;
    }
    "地质灾害隐患点信息" {
        "滑坡、崩塌、地面塌陷等地质灾害隐患点的位置、规模、威胁对象和防治措施。"
        "209013" "主题" "公共安全" "数据库" "每月" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        point_code "隐患点编号" string(30) none;
        hazard_type "灾害类型" string(20) none;
        location "位置" string(200) none;
        scale "规模等级" string(10) none;
        threatened "威胁人数" integer none;
        measures "防治措施" string(500) none;
        longitude "经度" number none;
        latitude "纬度" number none;
    }
    "林地及古树名木信息" {
        "辖区林地分布、公益林和古树名木的位置、树种、树龄和保护级别。"
        "103014" "基础" "生态环保" "数据库" "每年" "一般"
        "无条件共享" "" ""
        "无条件开放" ""
        tree_code "古树编号" string(20) none;
        species "树种" string(50) none;
        age "估测树龄" integer none;
        protection_level "保护级别" string(10) none;
        location "生长地点" string(200) none;
        longitude "经度" number none;
        latitude "纬度" number none;
    }
};
