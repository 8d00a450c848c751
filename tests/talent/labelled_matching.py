"""A small labelled set for the demand-to-institution ranking (talent/matching.py).

Written before the ranking was tuned: twelve real universities and institutes described by
their well-known strengths, and twenty-four demands of the kind a county zone's enterprises
raise, each labelled with the institution a domain expert would contact first. Several
demands are deliberately close to two institutions (food fermentation, robots, lasers).
"""

from talent.matching import DemandProfile, InstitutionProfile, LabelledDemand

INSTITUTIONS = [
    InstitutionProfile(
        1,
        "南京理工大学",
        ("光电显示", "电子信息", "智能制造", "新材料"),
        "光学工程、光电成像与探测、红外热成像与夜视技术、激光技术与激光加工、精密仪器与测控、"
        "含能材料、先进制造与智能机器人、电子对抗与信号处理",
    ),
    InstitutionProfile(
        2,
        "中国电子科技集团公司第五十五研究所",
        ("集成电路", "电子信息", "光电显示"),
        "化合物半导体（砷化镓、氮化镓GaN、碳化硅SiC）材料外延与器件、功率半导体器件、"
        "微波毫米波单片集成电路、射频模块与多芯片封装测试、平板显示与硅基OLED微显示、真空电子器件",
    ),
    InstitutionProfile(
        3,
        "合肥工业大学",
        ("智能制造", "汽车及零部件", "新材料", "电子信息"),
        "汽车工程与车身轻量化、机械设计制造及自动化、数控装备、工业机器人、材料成型与模具设计、"
        "电机与电力电子控制、新能源汽车动力系统",
    ),
    InstitutionProfile(
        4,
        "中国科学技术大学",
        ("电子信息", "软件与信息服务", "新材料", "集成电路"),
        "量子信息、人工智能与机器学习、计算机视觉与图像识别、语音识别与自然语言处理、大数据分析、"
        "微纳电子、高分子材料、芯片设计",
    ),
    InstitutionProfile(
        5,
        "安徽大学",
        ("电子信息", "集成电路", "软件与信息服务"),
        "集成电路设计（模拟芯片、存储器）、物联网、无线通信与射频识别（RFID）天线、"
        "电子元器件可靠性、智能传感器",
    ),
    InstitutionProfile(
        6,
        "安徽农业大学",
        ("食品加工", "生物医药", "节能环保"),
        "茶叶加工与茶饮料、农产品保鲜与贮藏、食品安全检测、发酵工程、生物农药、畜禽疫苗、"
        "农业废弃物资源化利用",
    ),
    InstitutionProfile(
        7,
        "中国科学院合肥物质科学研究院",
        ("新能源", "新材料", "节能环保", "智能制造"),
        "核聚变与等离子体物理、太阳能光伏电池与薄膜、环境监测光谱仪器与大气污染在线监测、"
        "强磁场技术、先进功能材料、特种机器人与智能装备、传感器",
    ),
    InstitutionProfile(
        8,
        "安徽理工大学",
        ("节能环保", "新材料", "智能制造"),
        "矿山安全与通风、煤炭清洁利用、爆破工程、矿用机电设备、井下粉尘治理、煤矸石与工业固废处理",
    ),
    InstitutionProfile(
        9,
        "安徽工程大学",
        ("智能制造", "新材料", "其他"),
        "纺织服装工程、功能纤维与非织造材料、印染与印染废水处理、机器人装备、电气自动化",
    ),
    InstitutionProfile(
        10,
        "江南大学",
        ("食品加工", "生物医药", "其他"),
        "食品科学与工程、发酵与酶工程、益生菌与功能食品、乳制品加工、纺织化学与染整",
    ),
    InstitutionProfile(
        11,
        "南京航空航天大学",
        ("智能制造", "新材料", "电子信息"),
        "航空航天结构设计、碳纤维复合材料与成型工艺、精密与特种加工、无人机系统、雷达与电磁兼容、振动控制",
    ),
    InstitutionProfile(
        12,
        "安徽建筑大学",
        ("节能环保", "新材料"),
        "绿色建筑与建筑节能、建筑保温与新型建筑材料、市政给排水、水污染治理、BIM与智慧建造",
    ),
]

CASES = [
    LabelledDemand(
        DemandProfile(
            "氮化镓功率器件可靠性提升",
            "公司生产的GaN功率器件高温老化后漏电流增大，需要开展失效分析和工艺优化。",
            "集成电路",
        ),
        "中国电子科技集团公司第五十五研究所",
    ),
    LabelledDemand(
        DemandProfile(
            "红外热像仪图像非均匀性校正",
            "红外热像仪产品存在图像非均匀性和盲元问题，希望合作开发校正算法与标定设备。",
            "光电显示",
        ),
        "南京理工大学",
    ),
    LabelledDemand(
        DemandProfile(
            "铝合金冲压件轻量化成型",
            "汽车零部件冲压件计划由钢改铝，需要模具设计与成型工艺仿真支持。",
            "汽车及零部件",
        ),
        "合肥工业大学",
    ),
    LabelledDemand(
        DemandProfile(
            "基于机器视觉的表面缺陷检测",
            "希望在产线上用深度学习和计算机视觉自动检测产品外观缺陷，替代人工目检。",
            "软件与信息服务",
        ),
        "中国科学技术大学",
    ),
    LabelledDemand(
        DemandProfile(
            "毫米波射频前端模块封装",
            "研发毫米波射频前端模块，需要多芯片封装与测试技术支持。",
            "电子信息",
        ),
        "中国电子科技集团公司第五十五研究所",
    ),
    LabelledDemand(
        DemandProfile(
            "低功耗模拟前端芯片设计",
            "开发用于智能传感器的低功耗模拟前端芯片，缺少芯片设计和流片经验。",
            "集成电路",
        ),
        "安徽大学",
    ),
    LabelledDemand(
        DemandProfile(
            "茶饮料保鲜与风味稳定",
            "茶饮料货架期内风味衰减明显，需要保鲜工艺和品质检测技术。",
            "食品加工",
        ),
        "安徽农业大学",
    ),
    LabelledDemand(
        DemandProfile(
            "光伏组件转换效率提升",
            "提高太阳能光伏电池组件转换效率，优化减反射镀膜工艺。",
            "新能源",
        ),
        "中国科学院合肥物质科学研究院",
    ),
    LabelledDemand(
        DemandProfile("矿用除尘设备研制", "开发矿用除尘设备，降低井下作业面粉尘浓度。", "节能环保"),
        "安徽理工大学",
    ),
    LabelledDemand(
        DemandProfile(
            "印染废水深度处理与回用",
            "纺织印染生产排放的废水色度高、COD高，需要深度处理与回用技术。",
            "节能环保",
        ),
        "安徽工程大学",
    ),
    LabelledDemand(
        DemandProfile("益生菌发酵工艺优化", "提高益生菌发酵活菌数和冻干存活率。", "生物医药"),
        "江南大学",
    ),
    LabelledDemand(
        DemandProfile(
            "无人机碳纤维机臂成型",
            "无人机机臂采用碳纤维复合材料，需解决成型工艺与结构强度设计。",
            "新材料",
        ),
        "南京航空航天大学",
    ),
    LabelledDemand(
        DemandProfile(
            "新型外墙保温材料", "开发新型建筑外墙保温材料，满足绿色建筑节能标准。", "新材料"
        ),
        "安徽建筑大学",
    ),
    LabelledDemand(
        DemandProfile(
            "金属薄片激光切割与焊接",
            "需要对金属薄片进行激光切割与激光焊接的工艺开发，提高加工精度。",
            "智能制造",
        ),
        "南京理工大学",
    ),
    LabelledDemand(
        DemandProfile(
            "硅基OLED微显示器件",
            "开发硅基OLED微显示器件，需要显示驱动与器件工艺支持。",
            "光电显示",
        ),
        "中国电子科技集团公司第五十五研究所",
    ),
    LabelledDemand(
        DemandProfile(
            "工业机器人自动上下料",
            "冲压产线上下料需要工业机器人配合视觉定位实现自动化。",
            "智能制造",
        ),
        "合肥工业大学",
    ),
    LabelledDemand(
        DemandProfile(
            "驱动电机控制器开发",
            "新能源汽车驱动电机控制器的开发与电磁兼容测试。",
            "汽车及零部件",
        ),
        "合肥工业大学",
    ),
    LabelledDemand(
        DemandProfile(
            "离线语音交互模块", "为智能家电产品开发离线语音识别与语音交互模块。", "软件与信息服务"
        ),
        "中国科学技术大学",
    ),
    LabelledDemand(
        DemandProfile(
            "超高频RFID标签天线优化",
            "物流用超高频RFID电子标签读取距离短，需优化天线设计。",
            "电子信息",
        ),
        "安徽大学",
    ),
    LabelledDemand(
        DemandProfile(
            "园区VOCs在线监测仪器",
            "开发工业园区挥发性有机物（VOCs）在线监测光谱仪器。",
            "节能环保",
        ),
        "中国科学院合肥物质科学研究院",
    ),
    LabelledDemand(
        DemandProfile("医用防护非织造布", "开发医用防护用非织造布，提升过滤效率。", "新材料"),
        "安徽工程大学",
    ),
    LabelledDemand(
        DemandProfile(
            "碳化硅MOSFET器件研发", "碳化硅MOSFET器件研发，需要外延和器件工艺技术。", "集成电路"
        ),
        "中国电子科技集团公司第五十五研究所",
    ),
    LabelledDemand(
        DemandProfile(
            "煤矸石资源化利用", "生产过程中产生的煤矸石等固废需要资源化利用途径。", "节能环保"
        ),
        "安徽理工大学",
    ),
    LabelledDemand(
        DemandProfile(
            "生产设备大数据分析平台",
            "企业生产数据分散，需要建设大数据分析平台，实现设备数据采集与分析。",
            "软件与信息服务",
        ),
        "中国科学技术大学",
    ),
]
