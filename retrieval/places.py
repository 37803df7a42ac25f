"""Chinese jurisdictions named in a question, to tell "another city's policy" from this corpus's.

    places_in("上海市对跨境电商有什么补贴？")              -> {"上海"}
    places_in("What does Beijing offer exporters?")     -> {"北京"}
    covers({"深圳"}, "广东省支持外贸稳定增长实施方案 …")    -> True   (Shenzhen lies in Guangdong)
    covers({"上海"}, "深圳市推动外贸稳规模…")              -> False

Only provinces and prefecture-level cities: districts and zones are too fine to decide
whether a measure applies.
"""

from __future__ import annotations

import re

# province (short zh) -> English
PROVINCES = {
    "北京": "Beijing", "天津": "Tianjin", "上海": "Shanghai", "重庆": "Chongqing", "河北": "Hebei", "山西": "Shanxi",
    "辽宁": "Liaoning", "吉林": "Jilin", "黑龙江": "Heilongjiang", "江苏": "Jiangsu", "浙江": "Zhejiang",
    "安徽": "Anhui", "福建": "Fujian", "江西": "Jiangxi", "山东": "Shandong", "河南": "Henan", "湖北": "Hubei",
    "湖南": "Hunan", "广东": "Guangdong", "海南": "Hainan", "四川": "Sichuan", "贵州": "Guizhou", "云南": "Yunnan",
    "陕西": "Shaanxi", "甘肃": "Gansu", "青海": "Qinghai", "内蒙古": "Inner Mongolia", "广西": "Guangxi",
    "西藏": "Tibet", "宁夏": "Ningxia", "新疆": "Xinjiang", "香港": "Hong Kong", "澳门": "Macao", "台湾": "Taiwan",
}
# city -> (English, province)
CITIES = {
    "广州": ("Guangzhou", "广东"), "深圳": ("Shenzhen", "广东"), "珠海": ("Zhuhai", "广东"), "汕头": ("Shantou", "广东"),
    "佛山": ("Foshan", "广东"), "韶关": ("Shaoguan", "广东"), "湛江": ("Zhanjiang", "广东"), "肇庆": ("Zhaoqing", "广东"),
    "江门": ("Jiangmen", "广东"), "茂名": ("Maoming", "广东"), "惠州": ("Huizhou", "广东"), "梅州": ("Meizhou", "广东"),
    "汕尾": ("Shanwei", "广东"), "河源": ("Heyuan", "广东"), "阳江": ("Yangjiang", "广东"), "清远": ("Qingyuan", "广东"),
    "东莞": ("Dongguan", "广东"), "中山": ("Zhongshan", "广东"), "潮州": ("Chaozhou", "广东"), "揭阳": ("Jieyang", "广东"),
    "云浮": ("Yunfu", "广东"),
    "杭州": ("Hangzhou", "浙江"), "宁波": ("Ningbo", "浙江"), "义乌": ("Yiwu", "浙江"), "温州": ("Wenzhou", "浙江"),
    "南京": ("Nanjing", "江苏"), "苏州": ("Suzhou", "江苏"), "无锡": ("Wuxi", "江苏"), "厦门": ("Xiamen", "福建"),
    "福州": ("Fuzhou", "福建"), "泉州": ("Quanzhou", "福建"), "青岛": ("Qingdao", "山东"), "济南": ("Jinan", "山东"),
    "烟台": ("Yantai", "山东"), "郑州": ("Zhengzhou", "河南"), "武汉": ("Wuhan", "湖北"), "长沙": ("Changsha", "湖南"),
    "成都": ("Chengdu", "四川"), "西安": ("Xi'an", "陕西"), "沈阳": ("Shenyang", "辽宁"), "大连": ("Dalian", "辽宁"),
    "哈尔滨": ("Harbin", "黑龙江"), "长春": ("Changchun", "吉林"), "合肥": ("Hefei", "安徽"), "南昌": ("Nanchang", "江西"),
    "昆明": ("Kunming", "云南"), "贵阳": ("Guiyang", "贵州"), "南宁": ("Nanning", "广西"), "海口": ("Haikou", "海南"),
    "三亚": ("Sanya", "海南"), "兰州": ("Lanzhou", "甘肃"), "乌鲁木齐": ("Urumqi", "新疆"), "石家庄": ("Shijiazhuang", "河北"),
    "太原": ("Taiyuan", "山西"), "呼和浩特": ("Hohhot", "内蒙古"), "拉萨": ("Lhasa", "西藏"), "银川": ("Yinchuan", "宁夏"),
    "西宁": ("Xining", "青海"),
}
_EN = {en.lower(): zh for zh, en in PROVINCES.items()} | {en.lower(): zh for zh, (en, _) in CITIES.items()}
_EN_PATTERN = re.compile(r"\b(" + "|".join(re.escape(e) for e in sorted(_EN, key=len, reverse=True)) + r")\b", re.I)
_ZH_NAMES = sorted(list(PROVINCES) + list(CITIES), key=len, reverse=True)
# names that are part of institutions rather than the place a policy applies to
_INSTITUTIONS = re.compile(r"上海黄金交易所|上海证券交易所|北京证券交易所|香港交易所|中国\(深圳\)|中国（深圳）")


def places_in(text: str) -> set[str]:
    found: set[str] = set()
    cleaned = _INSTITUTIONS.sub("", text)
    for name in _ZH_NAMES:
        if name in cleaned and not any(name in f and name != f for f in found):
            found.add(name)
    for m in _EN_PATTERN.finditer(text):
        found.add(_EN[m.group(1).lower()])
    return found


def covers(places: set[str], context: str) -> bool:
    """Does a clause's context (title, issuer, path, text) name each place or the province containing it?"""
    cleaned = _INSTITUTIONS.sub("", context)
    for place in places:
        province = CITIES[place][1] if place in CITIES else None
        if place not in cleaned and not (province and province in cleaned):
            return False
    return True


def jurisdiction(names: str) -> set[str]:
    """The places a document is the policy of, from its title, issuer and publisher: the places they name and
    the provinces of the cities among them. "深圳海关" -> {"深圳", "广东"}; "广东省人民政府办公厅" -> {"广东"}."""
    found = places_in(names)
    return found | {CITIES[p][1] for p in found if p in CITIES}


def relation(question_places: set[str], doc_places: set[str]) -> str:
    """How the places a question names relate to a document's jurisdiction:

    "none" (the question names no place), "same" (each is the document's place or its province),
    "inside" (a city within the document's province, not named by it: a provincial plan is not that city's own
    policy), "other" (somewhere else).
        relation({"上海"}, {"深圳", "广东"}) -> "other";  relation({"广州"}, {"广东"}) -> "inside"
    """
    if not question_places:
        return "none"
    if question_places <= doc_places:
        return "same"
    if all(p in doc_places or (p in CITIES and CITIES[p][1] in doc_places) for p in question_places):
        return "inside"
    return "other"
