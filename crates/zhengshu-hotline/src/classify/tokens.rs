//! 分词: jieba tokens of the normalised text, without stop words and punctuation.

use std::collections::HashSet;
use std::sync::LazyLock;

use jieba_rs::Jieba;

/// jieba's dictionary plus the hotline's vocabulary (category names and keywords, and
/// words of city management that the general dictionary cuts apart).
static JIEBA: LazyLock<Jieba> = LazyLock::new(|| {
    let mut j = Jieba::new();
    let extra = [
        "占道经营",
        "流动摊贩",
        "广场舞",
        "噪音扰民",
        "垃圾清运",
        "建筑垃圾",
        "违章搭建",
        "路灯",
        "井盖",
        "人行道",
        "违停",
        "乱停车",
        "消防通道",
        "红绿灯",
        "公交线路",
        "候车亭",
        "物业费",
        "物业公司",
        "维修基金",
        "夜间施工",
        "渣土车",
        "欠薪",
        "拖欠工资",
        "讨薪",
        "社保",
        "养老保险",
        "失业保险金",
        "灵活就业",
        "入户",
        "户口迁移",
        "居住证",
        "学位",
        "积分入学",
        "公办小学",
        "幼儿园",
        "医疗纠纷",
        "健康服务中心",
        "过期食品",
        "食品安全",
        "预付卡",
        "退款",
        "排污",
        "异味",
        "油烟",
        "停水",
        "水压",
        "自来水管",
        "低保",
        "临时救助",
        "独居老人",
        "医保",
        "医保卡",
        "医保报销",
        "门诊特定病种",
        "共享单车",
        "邻里纠纷",
        "社区工作站",
    ];
    for c in crate::model::CATEGORIES {
        j.add_word(c.name, None, None);
        for k in c.keywords {
            j.add_word(k, None, None);
        }
    }
    for w in extra {
        j.add_word(w, None, None);
    }
    j
});

/// Words that say nothing about the category (and the hotline's stock phrases).
static STOP_WORDS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    [
        "的",
        "了",
        "在",
        "是",
        "我",
        "有",
        "和",
        "就",
        "不",
        "人",
        "都",
        "一",
        "一个",
        "上",
        "也",
        "很",
        "到",
        "说",
        "要",
        "去",
        "你",
        "会",
        "着",
        "没有",
        "看",
        "好",
        "自己",
        "这",
        "那",
        "他",
        "她",
        "们",
        "我们",
        "他们",
        "请",
        "希望",
        "反映",
        "市民",
        "来电",
        "问题",
        "相关",
        "部门",
        "相关部门",
        "处理",
        "尽快",
        "能否",
        "是否",
        "情况",
        "一下",
        "现在",
        "已经",
        "但是",
        "因为",
        "所以",
        "如果",
        "还是",
        "什么",
        "怎么",
        "如何",
        "可以",
        "给予",
        "帮忙",
        "解决",
        "诉求",
        "表示",
        "目前",
        "多次",
        "一直",
        "这个",
        "那个",
        "附近",
        "该",
        "及",
        "与",
        "或",
        "对",
        "等",
        "被",
        "把",
        "从",
    ]
    .into_iter()
    .collect()
});

fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

/// Tokens of `text` for the classifier and duplicate detection: normalised (simplified,
/// half-width, lower case), cut by jieba, keeping words of two or more characters (or
/// digits-and-letters of two or more) that are not stop words.
pub fn tokenize(text: &str) -> Vec<String> {
    let normalised = zhengshu_core::normalize_for_search(text);
    JIEBA
        .cut(&normalised, true)
        .into_iter()
        .filter(|w| {
            let n = w.chars().count();
            n >= 2
                && !STOP_WORDS.contains(w)
                && w.chars().all(|c| is_han(c) || c.is_ascii_alphanumeric())
                && !w.chars().all(|c| c.is_ascii_digit())
        })
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_chinese_and_drops_stop_words() {
        let t = tokenize("市民来电反映：小区门口有人占道经营，希望尽快处理！");
        assert!(t.contains(&"小区".to_string()), "{t:?}");
        assert!(t.iter().any(|w| w.contains("占道")), "{t:?}");
        assert!(!t.contains(&"希望".to_string()));
        assert!(!t.iter().any(|w| w.contains('：') || w.contains('!')));
    }

    #[test]
    fn folds_traditional_and_full_width() {
        assert_eq!(tokenize("噪音擾民"), tokenize("噪音扰民"));
        assert_eq!(tokenize("ＡＢＣ垃圾清運"), tokenize("abc垃圾清运"));
    }
}
