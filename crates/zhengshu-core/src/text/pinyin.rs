//! Recognising Hanyu Pinyin annotations.

use std::collections::HashSet;
use std::sync::LazyLock;

/// Every standard pinyin syllable, without tones, ü written as v.
const SYLLABLES: &str = "\
a o e ai ei ao ou an en ang eng er \
ba bo bai bei bao ban ben bang beng bi bie biao bian bin bing bu \
pa po pai pei pao pou pan pen pang peng pi pie piao pian pin ping pu \
ma mo me mai mei mao mou man men mang meng mi mie miao miu mian min ming mu \
fa fo fei fou fan fen fang feng fu \
da de dai dei dao dou dan den dang deng dong di die diao diu dian ding du duo dui duan dun \
ta te tai tao tou tan tang teng tong ti tie tiao tian ting tu tuo tui tuan tun \
na ne nai nei nao nou nan nen nang neng nong ni nie niao niu nian nin niang ning nu nuo nuan nv nve nue \
la le lo lai lei lao lou lan lang leng long li lia lie liao liu lian lin liang ling lu luo luan lun lv lve lue \
ga ge gai gei gao gou gan gen gang geng gong gu gua guo guai gui guan gun guang \
ka ke kai kei kao kou kan ken kang keng kong ku kua kuo kuai kui kuan kun kuang \
ha he hai hei hao hou han hen hang heng hong hu hua huo huai hui huan hun huang \
ji jia jie jiao jiu jian jin jiang jing jiong ju jue juan jun \
qi qia qie qiao qiu qian qin qiang qing qiong qu que quan qun \
xi xia xie xiao xiu xian xin xiang xing xiong xu xue xuan xun \
zha zhe zhi zhai zhei zhao zhou zhan zhen zhang zheng zhong zhu zhua zhuo zhuai zhui zhuan zhun zhuang \
cha che chi chai chao chou chan chen chang cheng chong chu chua chuo chuai chui chuan chun chuang \
sha she shi shai shei shao shou shan shen shang sheng shu shua shuo shuai shui shuan shun shuang \
re ri rao rou ran ren rang reng rong ru rua ruo rui ruan run \
za ze zi zai zei zao zou zan zen zang zeng zong zu zuo zui zuan zun \
ca ce ci cai cao cou can cen cang ceng cong cu cuo cui cuan cun \
sa se si sai sao sou san sen sang seng song su suo sui suan sun \
ya yo ye yao you yan yin yang ying yong yi yu yue yuan yun \
wa wo wai wei wan wen wang weng wu";

/// Longest syllable (zhuang, shuang, chuang).
const MAX_SYLLABLE: usize = 6;

static SYLLABLE_SET: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| SYLLABLES.split_whitespace().collect());

/// The toneless letter for a tone-marked vowel (ü → v), if `c` is one.
fn untone(c: char) -> Option<char> {
    Some(match c {
        'ā' | 'á' | 'ǎ' | 'à' => 'a',
        'ē' | 'é' | 'ě' | 'è' | 'ê' | 'ế' | 'ề' => 'e',
        'ī' | 'í' | 'ǐ' | 'ì' => 'i',
        'ō' | 'ó' | 'ǒ' | 'ò' => 'o',
        'ū' | 'ú' | 'ǔ' | 'ù' => 'u',
        'ǖ' | 'ǘ' | 'ǚ' | 'ǜ' => 'v',
        'ń' | 'ň' | 'ǹ' => 'n',
        _ => return None,
    })
}

/// If `content` is pinyin carrying at least one tone, the number of syllables in it.
///
/// Syllables may be separated by spaces or apostrophes, or run together; a tone is a
/// mark (ā á ǎ à, also as combining accents) or a number 0–5 after a syllable.
pub(super) fn toned_syllable_count(content: &str) -> Option<usize> {
    let mut toned = false;
    let mut count = 0;
    let mut letters = String::new();
    for c in content.trim().to_lowercase().chars().chain([' ']) {
        match c {
            'a'..='z' => letters.push(c),
            'ü' => letters.push('v'),
            '\u{0300}'..='\u{036F}' if !letters.is_empty() => toned = true,
            '0'..='5' => {
                if letters.is_empty() {
                    return None;
                }
                toned = true;
                count += segment(&letters)?;
                letters.clear();
            }
            ' ' | '\'' | '’' => {
                if !letters.is_empty() {
                    count += segment(&letters)?;
                    letters.clear();
                }
            }
            _ => {
                letters.push(untone(c)?);
                toned = true;
            }
        }
    }
    (toned && count > 0).then_some(count)
}

/// Fewest syllables `letters` (ASCII) splits into, if it splits into syllables at all.
fn segment(letters: &str) -> Option<usize> {
    let n = letters.len();
    let mut best: Vec<Option<usize>> = vec![None; n + 1];
    best[0] = Some(0);
    for end in 1..=n {
        best[end] = (end.saturating_sub(MAX_SYLLABLE)..end)
            .filter_map(|start| {
                let before = best[start]?;
                SYLLABLE_SET
                    .contains(&letters[start..end])
                    .then_some(before + 1)
            })
            .min();
    }
    best[n]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_syllables_with_tones() {
        assert_eq!(toned_syllable_count("huì"), Some(1));
        assert_eq!(toned_syllable_count("hui4"), Some(1));
        assert_eq!(toned_syllable_count("hui4yi4"), Some(2));
        assert_eq!(toned_syllable_count("dà shù"), Some(2));
        assert_eq!(toned_syllable_count("xī'ān"), Some(2));
        assert_eq!(toned_syllable_count("Zhuāngyuán"), Some(2));
        assert_eq!(toned_syllable_count("lǜ"), Some(1));
        assert_eq!(toned_syllable_count("hu\u{0300}i"), Some(1));
    }

    #[test]
    fn rejects_other_text() {
        assert_eq!(toned_syllable_count("data"), None); // no tone
        assert_eq!(toned_syllable_count("café"), None); // "fe" is no syllable
        assert_eq!(toned_syllable_count("2021"), None);
        assert_eq!(toned_syllable_count("有限公司"), None);
        assert_eq!(toned_syllable_count("4hui"), None);
        assert_eq!(toned_syllable_count("hui44"), None);
        assert_eq!(toned_syllable_count(""), None);
        assert_eq!(toned_syllable_count("\u{0300}"), None);
    }

    #[test]
    fn syllable_table_is_well_formed() {
        assert!(SYLLABLES.split_whitespace().count() > 380);
        for s in SYLLABLES.split_whitespace() {
            assert!(
                s.len() <= MAX_SYLLABLE && s.bytes().all(|b| b.is_ascii_lowercase()),
                "{s}"
            );
        }
        assert_eq!(
            SYLLABLE_SET.len(),
            SYLLABLES.split_whitespace().count(),
            "duplicates"
        );
    }
}
