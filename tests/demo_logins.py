"""The demo's logins, as README.md's demo table lists them (tests/test_deployment.py keeps
the two in step)."""

DEMO_LOGINS = [
    "changcheng",
    "shengli",
    "admin",
    "tanyanhong",
    "lixin",
    "wangyangyang",
    "huangyaru",
    "zhaojing",
    "yangxiulan",
    "xulili",
    "luoyin",
    "liuhongli",
    "chenxia",
    "naxiaomei",
    "mahaiyan",
    "wangpeng",
    "liujianhua",
    "maihongmei",
    "chenjingfang",
    "wangdefu",
    "aohai_sunli",
    "police_wangjianjun",
    "lawyer_du",
]
