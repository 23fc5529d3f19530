#!/usr/bin/env python3
"""Writes the synthetic fixtures in fixtures/ and their gold files.

Each fixture is one invented report rendered in a form the corpus lacks
(GBK portal page with Word-pasted markup, one cell per line, 2019 template
with blanks, wrong printed totals, renumbered sections). Values are chosen
so the identities hold, except where a fixture is about failing them.
Run from the repository root: python3 scripts/mkfixtures.py
"""
import json, os

COLS = ["natural_person", "commercial_enterprise", "research_institution",
        "public_welfare_org", "legal_service_org", "other_org", "total"]
HEAD = ["new_received", "carried_over", "granted", "partially_granted",
        "refused.state_secret", "refused.other_law", "refused.security_stability",
        "refused.third_party", "refused.internal_affairs", "refused.process_info",
        "refused.enforcement_file", "refused.admin_query", "unavailable.not_held",
        "unavailable.needs_creation", "unavailable.unclear", "not_processed.petition",
        "not_processed.duplicate", "not_processed.publication", "not_processed.excessive",
        "not_processed.confirm_reissue"]
LABELS = {
    "new_received": "一、本年新收政府信息公开申请数量", "carried_over": "二、上年结转政府信息公开申请数量",
    "granted": "（一）予以公开", "partially_granted": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "refused.state_secret": "1.属于国家秘密", "refused.other_law": "2.其他法律行政法规禁止公开",
    "refused.security_stability": "3.危及“三安全一稳定”", "refused.third_party": "4.保护第三方合法权益",
    "refused.internal_affairs": "5.属于三类内部事务信息", "refused.process_info": "6.属于四类过程性信息",
    "refused.enforcement_file": "7.属于行政执法案卷", "refused.admin_query": "8.属于行政查询事项",
    "unavailable.not_held": "1.本机关不掌握相关政府信息", "unavailable.needs_creation": "2.没有现成信息需要另行制作",
    "unavailable.unclear": "3.补正后申请内容仍不明确", "not_processed.petition": "1.信访举报投诉类申请",
    "not_processed.duplicate": "2.重复申请", "not_processed.publication": "3.要求提供公开出版物",
    "not_processed.excessive": "4.无正当理由大量反复申请", "not_processed.confirm_reissue": "5.要求行政机关确认或重新出具已获取信息",
    "other.no_correction": "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "other.fee_unpaid": "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "other.other": "3.其他", "other": "（六）其他处理", "total": "（七）总计", "carried_forward": "四、结转下年度继续办理",
}
GROUPS = {"refused": "（三）不予公开", "unavailable": "（四）无法提供", "not_processed": "（五）不予处理", "other": "（六）其他处理"}


def t3_table(results, carried_over, carried_forward, single_other=False):
    """results: row key -> six applicant values; returns row key -> 7 values."""
    rows = {}
    other = ["other"] if single_other else ["other.no_correction", "other.fee_unpaid", "other.other"]
    keys = HEAD[2:] + other
    tot = [0] * 6
    for k in keys:
        v = results.get(k, [0] * 6)
        rows[k] = v + [sum(v)]
        tot = [a + b for a, b in zip(tot, v)]
    rows["total"] = tot + [sum(tot)]
    rows["carried_over"] = carried_over + [sum(carried_over)]
    rows["carried_forward"] = carried_forward + [sum(carried_forward)]
    nr = [t + f - c for t, f, c in zip(tot, carried_forward, carried_over)]
    rows["new_received"] = nr + [sum(nr)]
    return rows, HEAD[:2] + keys + ["total", "carried_forward"]


def gold_cells(t2, t3rows, t4):
    cells = {}
    for k, v in t2.items():
        cells[k] = v
    for k, vals in t3rows.items():
        for c, v in zip(COLS, vals):
            cells["t3.%s.%s" % (k, c)] = v
    ids = ["t4.%s.%s" % (g, l) for g in ["review", "suit_direct", "suit_after_review"]
           for l in ["upheld", "corrected", "other", "pending", "total"]]
    for i, v in zip(ids, t4):
        cells[i] = v
    return cells


def t4_values(groups):
    out = []
    for g in groups:
        out += g + [sum(g)]
    return out


def write(name, data, gold):
    path = os.path.join("fixtures", name)
    mode = "wb" if isinstance(data, bytes) else "w"
    with open(path, mode) as f:
        f.write(data)
    gold["file"] = name
    with open(os.path.join("fixtures", "gold", name.split("-")[0] + ".json"), "w") as f:
        json.dump(gold, f, ensure_ascii=False, indent=1, sort_keys=True)


def fw(n):
    """Fullwidth digits, as some Word documents print them."""
    return str(n).translate(str.maketrans("0123456789.", "０１２３４５６７８９．"))


def word_runs(text):
    """Word-pasted markup: every two characters in their own <span>/<font> run."""
    out = []
    for i in range(0, len(text), 2):
        out.append('<span style="font-family: 仿宋_GB2312;"><font face="仿宋_GB2312">%s</font></span>' % text[i:i + 2])
    return "".join(out) + "<o:p></o:p>"


def td(text, attrs=""):
    return '<td %s valign="center"><p class="MsoNormal" align="center">%s</p></td>' % (attrs, word_runs(str(text)) if text != "" else "<o:p>&nbsp;</o:p>")


# ---------------------------------------------------------------- fixture 1
def gbk_portal():
    agency, year = "宁海县市场监督管理局", 2022
    t2 = {"t2.art20_1.rules.issued": 0, "t2.art20_1.rules.repealed": 0, "t2.art20_1.rules.in_force": 0,
          "t2.art20_1.normative_docs.issued": 3, "t2.art20_1.normative_docs.repealed": 1,
          "t2.art20_1.normative_docs.in_force": 17, "t2.art20_5.admin_licensing.decisions": 12345,
          "t2.art20_6.admin_penalty.decisions": 689, "t2.art20_6.admin_coercion.decisions": 42,
          "t2.art20_8.admin_fees.amount_wan_yuan": 15.62}
    res = {"granted": [21, 3, 0, 1, 0, 0], "partially_granted": [4, 0, 0, 0, 1, 0],
           "refused.third_party": [2, 0, 0, 0, 0, 0], "unavailable.not_held": [9, 1, 0, 0, 0, 1],
           "not_processed.duplicate": [3, 0, 0, 0, 0, 0], "other.other": [5, 0, 0, 0, 0, 0]}
    t3rows, order = t3_table(res, [2, 0, 0, 0, 0, 0], [1, 1, 0, 0, 0, 0])
    t4 = t4_values([[3, 1, 0, 1], [1, 0, 0, 1], [0, 0, 0, 0]])
    rows = []
    rows.append('<tr>%s%s</tr>' % (td("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 'colspan="3" rowspan="3"'), td("申请人情况", 'colspan="7"')))
    rows.append('<tr>%s%s%s</tr>' % (td("自然人", 'rowspan="2"'), td("法人或其他组织", 'colspan="5"'), td("总计", 'rowspan="2"')))
    rows.append('<tr>%s</tr>' % "".join(td(x) for x in ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]))
    group_seen = set()
    for k in order:
        vals = t3rows[k]
        cells = []
        if k in ("new_received", "carried_over", "carried_forward"):
            cells.append(td(LABELS[k], 'colspan="3"'))
        elif k == "total":
            cells.append(td(LABELS[k], 'colspan="2"'))
        else:
            if k == "granted":
                cells.append(td("三、本年度办理结果", 'rowspan="22"'))
            g = k.split(".")[0]
            if "." in k:
                if g not in group_seen:
                    n = sum(1 for o in order if o.startswith(g + "."))
                    cells.append(td(GROUPS[g], 'rowspan="%d"' % n))
                    group_seen.add(g)
                cells.append(td(LABELS[k]))
            else:
                cells.append(td(LABELS[k], 'colspan="2"'))
        # fullwidth digits in the natural-person column
        cells += [td(fw(vals[0]))] + [td(v) for v in vals[1:]]
        rows.append("<tr>%s</tr>" % "".join(cells))
    t3html = '<table class="MsoNormalTable" border="1" cellspacing="0">%s</table>' % "\n".join(rows)
    t2html = """<table class="MsoNormalTable" border="1">
<tr>%s</tr><tr>%s%s%s%s</tr><tr>%s%s%s%s</tr><tr>%s%s%s%s</tr>
<tr>%s</tr><tr>%s%s</tr><tr>%s%s</tr>
<tr>%s</tr><tr>%s%s</tr><tr>%s%s</tr><tr>%s%s</tr>
<tr>%s</tr><tr>%s%s</tr><tr>%s%s</tr>
</table>""" % (
        td("第二十条第（一）项", 'colspan="4"'), td("信息内容"), td("本年制发件数"), td("本年废止件数"), td("现行有效件数"),
        td("规章"), td(0), td(0), td(0), td("行政规范性文件"), td(3), td(1), td(17),
        td("第二十条第（五）项", 'colspan="4"'), td("信息内容"), td("本年处理决定数量", 'colspan="3"'), td("行政许可"), td("12,345", 'colspan="3"'),
        td("第二十条第（六）项", 'colspan="4"'), td("信息内容"), td("本年处理决定数量", 'colspan="3"'), td("行政处罚"), td(689, 'colspan="3"'),
        td("行政强制"), td(42, 'colspan="3"'),
        td("第二十条第（八）项", 'colspan="4"'), td("信息内容"), td("本年收费金额（单位：万元）", 'colspan="3"'), td("行政事业性收费"), td("15.62", 'colspan="3"'))
    t4cells_h1 = td("行政复议", 'colspan="5"') + td("行政诉讼", 'colspan="10"')
    t4cells_h2 = "".join(td(x, 'rowspan="2"') for x in ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]) + td("未经复议直接起诉", 'colspan="5"') + td("复议后起诉", 'colspan="5"')
    t4cells_h3 = "".join(td(x) for x in ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2)
    t4html = '<table border="1"><tr>%s</tr><tr>%s</tr><tr>%s</tr><tr>%s</tr></table>' % (t4cells_h1, t4cells_h2, t4cells_h3, "".join(td(v) for v in t4))
    page = """<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>%(agency)s%(year)d年政府信息公开工作年度报告_宁海县人民政府门户网站</title>
<script>var _hmt = _hmt || []; document.write("<table><tr><td>1</td></tr></table>");</script>
<style>td { font-size: 12px }</style></head>
<body>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/col/col1">政务公开</a></li><li><a href="/col/col2">政府信息公开年报</a></li></ul></div>
<table width="100%%" class="layout"><tr><td>
<table class="xxgk_head"><tr><td>索引号：</td><td>11330226MB1234567X/2023-00012</td><td>发布机构：</td><td>%(agency)s</td></tr>
<tr><td>发布日期：</td><td>2023-01-28</td><td>文号：</td><td></td></tr></table>
<div id="zoom">
<p class="MsoNormal" align="center">%(title)s</p>
<p class="MsoNormal">本报告根据《中华人民共和国政府信息公开条例》编制。本报告所列数据的统计期限自%(year)d年1月1日起至%(year)d年12月31日止。</p>
<p>一、总体情况</p><p>%(year)d年，我局共收到政府信息公开申请%(nr)d件。</p>
<p>二、机构建设</p><p>我局调整了政务公开领导小组。</p>
<p>三、主动公开政府信息情况</p>
%(t2)s
<p>四、收到和处理政府信息公开申请情况</p>
%(t3)s
<p>五、政府信息公开行政复议、行政诉讼情况</p>
%(t4)s
<p>六、存在的主要问题及改进情况</p><p>一是公开深度不够。下一步将加强培训。</p>
<p>七、其他需要报告的事项</p><p>本年度未收取信息处理费。</p>
<p align="right">%(agency)s</p><p align="right">2023年1月28日</p>
</div></td></tr></table>
<div class="footer">主办单位：宁海县人民政府办公室　网站标识码：3302260001<br>浙ICP备05012345号</div>
</body></html>""" % dict(agency=agency, year=year, title=word_runs(agency + "%d年政府信息公开工作年度报告" % year),
                         nr=t3rows["new_received"][6], t2=t2html, t3=t3html, t4=t4html)
    gold = {"template": "2021", "agency": agency, "year": year, "published": "2023-01-28",
            "cells": gold_cells(t2, t3rows, t4),
            "notes": "Synthetic. GBK portal page (meta charset=gb2312), layout table around the report, Word-pasted runs, fullwidth digits in the 自然人 column, thousands separator, renumbered sections (三/四/五 for tables 二/三/四)."}
    write("101-gbk-portal-2022.html", page.encode("gb18030"), gold)
    # the same page with no charset declared anywhere
    undeclared = page.replace('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', "")
    gold2 = dict(gold, notes="Synthetic. Same as 101 with no charset declared: must be sniffed as GB18030.")
    write("102-gbk-undeclared-2022.html", undeclared.encode("gb18030"), gold2)
    return t3rows


# ---------------------------------------------------------------- fixture 3
def one_cell_per_line():
    agency, year = "余姚市梨洲街道办事处", 2024
    t2 = {"t2.art20_1.rules.issued": 0, "t2.art20_1.rules.repealed": 0, "t2.art20_1.rules.in_force": 0,
          "t2.art20_1.normative_docs.issued": 0, "t2.art20_1.normative_docs.repealed": 0,
          "t2.art20_1.normative_docs.in_force": 2, "t2.art20_5.admin_licensing.decisions": 0,
          "t2.art20_6.admin_penalty.decisions": 5, "t2.art20_6.admin_coercion.decisions": 0,
          "t2.art20_8.admin_fees.amount_wan_yuan": 0}
    res = {"granted": [4, 0, 0, 0, 0, 0], "unavailable.not_held": [2, 0, 0, 0, 0, 0],
           "other.no_correction": [1, 0, 0, 0, 0, 0]}
    t3rows, order = t3_table(res, [0] * 6, [0] * 6)
    t4 = t4_values([[1, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]])
    L = ["%s%d年政府信息公开工作年度报告" % (agency, year), "", "一、总体情况",
         "%d年，街道共办理依申请公开%d件。" % (year, t3rows["new_received"][6]),
         "二、主动公开政府信息情况", "第二十条第（一）项", "信息内容", "本年制发件数", "本年废止件数", "现行有效件数",
         "规章", "0", "0", "0", "行政规范性文件", "0", "0", "2",
         "第二十条第（五）项", "信息内容", "本年处理决定数量", "行政许可", "0",
         "第二十条第（六）项", "信息内容", "本年处理决定数量", "行政处罚", "5", "行政强制", "0",
         "第二十条第（八）项", "信息内容", "本年收费金额（单位：万元）", "行政事业性收费", "0",
         "- 2 -",
         "三、收到和处理政府信息公开申请情况", "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
         "申请人情况", "自然人", "法人或其他组织", "总计", "商业", "企业", "科研", "机构", "社会公益组织", "法律服务机构", "其他"]
    for k in order:
        if k == "granted":
            L.append("三、本年度办理结果")
        if k in ("refused.state_secret", "unavailable.not_held", "not_processed.petition", "other.no_correction"):
            L.append(GROUPS[k.split(".")[0]])
        L.append(LABELS[k])
        L += [str(v) for v in t3rows[k]]
        if k == "refused.admin_query":
            L.append("— 3 —")
    L += ["四、政府信息公开行政复议、行政诉讼情况", "行政复议", "行政诉讼", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计",
          "未经复议直接起诉", "复议后起诉"] + ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2
    L += [str(v) for v in t4]
    L += ["五、存在的主要问题及改进情况", "一是信息更新不及时。", "六、其他需要报告的事项", "无。", agency, "2025年1月20日"]
    gold = {"template": "2021", "agency": agency, "year": year, "published": "2025-01-20",
            "cells": gold_cells(t2, t3rows, t4),
            "notes": "Synthetic. Plain text with one cell per line (pdftotext-like), page numbers between rows."}
    write("103-one-cell-per-line-2024.txt", "\n".join(L) + "\n", gold)


# ---------------------------------------------------------------- fixture 4
def t19_html():
    agency, year = "德清县人民政府办公室", 2020
    t2 = {"t2.art20_1.rules.new_made": 1, "t2.art20_1.rules.new_published": 1, "t2.art20_1.rules.total_published": 9,
          "t2.art20_1.normative_docs.new_made": 11, "t2.art20_1.normative_docs.new_published": 11,
          "t2.art20_1.normative_docs.total_published": 87,
          "t2.art20_5.admin_licensing.prev_year_items": 120, "t2.art20_5.admin_licensing.items_delta": -8,
          "t2.art20_5.admin_licensing.decisions": 4567,
          "t2.art20_5.other_external_services.prev_year_items": 30, "t2.art20_5.other_external_services.items_delta": 2,
          "t2.art20_5.other_external_services.decisions": 300,
          "t2.art20_6.admin_penalty.prev_year_items": 800, "t2.art20_6.admin_penalty.items_delta": 0,
          "t2.art20_6.admin_penalty.decisions": 95,
          "t2.art20_6.admin_coercion.prev_year_items": 20, "t2.art20_6.admin_coercion.items_delta": None,
          "t2.art20_6.admin_coercion.decisions": None,
          "t2.art20_8.admin_fees.prev_year_items": 4, "t2.art20_8.admin_fees.items_delta": -1,
          "t2.art20_9.central_procurement.projects": 14, "t2.art20_9.central_procurement.total_amount": 3025.5}
    res = {"granted": [40, 6, 0, 0, 1, 0], "partially_granted": [2, 0, 0, 0, 0, 0],
           "unavailable.not_held": [10, 0, 0, 0, 0, 0], "not_processed.petition": [3, 0, 0, 0, 0, 0],
           "other": [4, 1, 0, 0, 0, 0]}
    t3rows, order = t3_table(res, [1, 0, 0, 0, 0, 0], [2, 0, 0, 0, 0, 0], single_other=True)

    def cell(v):
        return "<td>%s</td>" % ("&nbsp;" if v == 0 else v)
    t2rows = """<tr><td colspan="4">第二十条第（一）项</td></tr>
<tr><td>信息内容</td><td>本年新<br />制作数量</td><td>本年新<br />公开数量</td><td>对外公开总数量</td></tr>
<tr><td>规章</td><td>1</td><td>1</td><td>9</td></tr>
<tr><td>规范性文件</td><td>11</td><td>11</td><td>87</td></tr>
<tr><td colspan="4">第二十条第（五）项</td></tr>
<tr><td>信息内容</td><td>上一年项目数量</td><td>本年增/减</td><td>处理决定数量</td></tr>
<tr><td>行政许可</td><td>120</td><td>-8</td><td>4567</td></tr>
<tr><td>其他对外管理服务事项</td><td>30</td><td>+2</td><td>300</td></tr>
<tr><td colspan="4">第二十条第（六）项</td></tr>
<tr><td>信息内容</td><td>上一年项目数量</td><td>本年增/减</td><td>处理决定数量</td></tr>
<tr><td>行政处罚</td><td>800</td><td>0</td><td>95</td></tr>
<tr><td>行政强制</td><td>20</td><td>—</td><td>/</td></tr>
<tr><td colspan="4">第二十条第（八）项</td></tr>
<tr><td>信息内容</td><td>上一年项目数量</td><td colspan="2">本年增/减</td></tr>
<tr><td>行政事业性收费</td><td>4</td><td colspan="2">-1</td></tr>
<tr><td colspan="4">第二十条第（九）项</td></tr>
<tr><td>信息内容</td><td>采购项目数量</td><td colspan="2">采购总金额</td></tr>
<tr><td>政府集中采购</td><td>14</td><td colspan="2">3025.5万元</td></tr>"""
    rows = ['<tr><td colspan="3" rowspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td><td colspan="7">申请人情况</td></tr>',
            '<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>',
            "<tr>%s</tr>" % "".join("<td>%s</td>" % x for x in ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"])]
    seen = set()
    cells_gold = {}
    for k in order:
        vals = t3rows[k]
        c = []
        if k in ("new_received", "carried_over", "carried_forward"):
            c.append('<td colspan="3">%s</td>' % LABELS[k])
        elif k in ("total", "other", "granted", "partially_granted"):
            if k == "granted":
                c.append('<td rowspan="20">三、本年度办理结果</td>')
            c.append('<td colspan="2">%s</td>' % LABELS[k])
        else:
            g = k.split(".")[0]
            if g not in seen:
                c.append('<td rowspan="%d">%s</td>' % (sum(1 for o in order if o.startswith(g + ".")), GROUPS[g]))
                seen.add(g)
            c.append("<td>%s</td>" % LABELS[k])
        c += [cell(v) for v in vals]
        rows.append("<tr>%s</tr>" % "".join(c))
        for col, v in zip(COLS, vals):
            cells_gold["t3.%s.%s" % (k, col)] = None if v == 0 else v
    t4 = t4_values([[2, 0, 0, 0], [1, 0, 1, 0], [0, 0, 0, 0]])
    t4row = "".join(cell(v) for v in t4)
    page = """<html><head><meta charset="utf-8"><title>%(agency)s%(year)d年政府信息公开工作年度报告</title></head><body>
<p style='text-align: center;font-weight: bold;'>%(agency)s%(year)d年政府信息公开工作年度报告</p>
<p>发布日期：2021-03-30</p>
<p>一、总体情况</p><p>全年收到申请%(nr)d件。</p>
<p>二、主动公开政府信息情况</p><table border="1">%(t2)s</table>
<p>三、收到和处理政府信息公开申请情况</p><table border="1">%(t3)s</table>
<p>四、政府信息公开行政复议、行政诉讼情况</p>
<table border="1"><tr><td colspan="5">行政复议</td><td colspan="10">行政诉讼</td></tr>
<tr><td rowspan="2">结果维持</td><td rowspan="2">结果纠正</td><td rowspan="2">其他结果</td><td rowspan="2">尚未审结</td><td rowspan="2">总计</td><td colspan="5">未经复议直接起诉</td><td colspan="5">复议后起诉</td></tr>
<tr><td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td><td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td></tr>
<tr>%(t4)s</tr></table>
<p>五、存在的主要问题及改进情况</p><p>无。</p><p>六、其他需要报告的事项</p><p>无。</p>
</body></html>""" % dict(agency=agency, year=year, nr=t3rows["new_received"][6], t2=t2rows, t3="\n".join(rows), t4=t4row)
    cells = dict(t2)
    cells.update(cells_gold)
    ids = ["t4.%s.%s" % (g, l) for g in ["review", "suit_direct", "suit_after_review"] for l in ["upheld", "corrected", "other", "pending", "total"]]
    for i, v in zip(ids, t4):
        cells[i] = None if v == 0 else v
    gold = {"template": "2019", "agency": agency, "year": year, "published": "2021-03-30", "cells": cells,
            "notes": "Synthetic. 2019 template, UTF-8 HTML; zero cells printed as &nbsp; blanks (null), signed 本年增/减, NA marks in 行政强制, amount with unit 万元, single （六）其他处理 row."}
    write("104-t19-blanks-2020.html", page, gold)


# ---------------------------------------------------------------- fixture 5
def wrong_totals():
    agency, year = "慈溪市教育局", 2023
    res = {"granted": [6, 0, 0, 0, 0, 0], "unavailable.not_held": [3, 0, 0, 0, 0, 0]}
    t3rows, order = t3_table(res, [0] * 6, [1, 0, 0, 0, 0, 0])
    t3rows["total"] = [9, 0, 0, 0, 0, 0, 10]          # printed total column wrong: 9 ≠ 10
    t3rows["granted"] = [6, 0, 0, 0, 0, 0, 6]
    t4 = [1, 0, 0, 0, 0] + [0] * 10                   # 行政复议 总计 printed as 0 although 维持 1
    L = ["# %s%d年度政府信息公开工作年度报告" % (agency, year), "",
         "## 一、主动公开政府信息情况", "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |", "|---|---|---|---|",
         "| 规章 | 0 | 0 | 0 |", "| 行政规范性文件 | 2 | 0 | 9 |", "",
         "## 二、收到和处理政府信息公开申请情况", "| 项目 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |", "|---|---|---|---|---|---|---|---|"]
    for k in order:
        L.append("| %s | %s |" % (LABELS[k], " | ".join(str(v) for v in t3rows[k])))
    L += ["", "## 三、政府信息公开行政复议、行政诉讼情况", "| 行政复议 | | | | | 行政诉讼 |", "|---|---|---|---|---|---|",
          "| %s |" % " | ".join(str(v) for v in t4), "", "## 四、存在的主要问题及改进情况", "无。", "", "%s" % agency, "2024年1月25日"]
    t2 = {"t2.art20_1.rules.issued": 0, "t2.art20_1.rules.repealed": 0, "t2.art20_1.rules.in_force": 0,
          "t2.art20_1.normative_docs.issued": 2, "t2.art20_1.normative_docs.repealed": 0, "t2.art20_1.normative_docs.in_force": 9}
    gold = {"template": "2021", "agency": agency, "year": year, "published": "2024-01-25",
            "cells": gold_cells(t2, t3rows, t4),
            "notes": "Synthetic. Markdown; printed totals wrong on purpose: T3 (七)总计 total 10 vs parts 9, T4 review total 0 vs parts 1. Values must be kept as printed and the checks must fail."}
    write("105-wrong-totals-2023.md", "\n".join(L) + "\n", gold)


# ---------------------------------------------------------------- fixture 6
def tab_text():
    agency, year = "象山县交通运输局", 2021
    t2 = {"t2.art20_1.rules.issued": 0, "t2.art20_1.rules.repealed": 0, "t2.art20_1.rules.in_force": 0,
          "t2.art20_1.normative_docs.issued": 1, "t2.art20_1.normative_docs.repealed": 0,
          "t2.art20_1.normative_docs.in_force": 6, "t2.art20_5.admin_licensing.decisions": 3120,
          "t2.art20_6.admin_penalty.decisions": 877, "t2.art20_6.admin_coercion.decisions": 0,
          "t2.art20_8.admin_fees.amount_wan_yuan": 0}
    res = {"granted": [5, 1, 0, 0, 0, 0], "unavailable.not_held": [4, 0, 0, 0, 0, 0],
           "not_processed.petition": [1, 0, 0, 0, 0, 0], "other.fee_unpaid": [1, 0, 0, 0, 0, 0]}
    t3rows, order = t3_table(res, [1, 0, 0, 0, 0, 0], [0] * 6)
    t4 = t4_values([[0, 1, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]])
    T = lambda *cells: "".join("\t%s\n" % c for c in cells) + "\n"
    out = "%s%d年度政府信息公开工作年度报告\n\n一、总体情况\n\n%d年，我局认真贯彻条例。\n\n二、主动公开政府信息情况\n" % (agency, year, year)
    out += T("第二十条第（一）项") + T("信息内容", "本年制发件数", "本年废止件数", "现行有效件数")
    out += T("规章", 0, 0, 0) + T("行政规范性文件", 1, 0, 6)
    out += T("第二十条第（五）项") + T("信息内容", "本年处理决定数量") + T("行政许可", 3120)
    out += T("第二十条第（六）项") + T("信息内容", "本年处理决定数量") + T("行政处罚", 877) + T("行政强制", 0)
    out += T("第二十条第（八）项") + T("信息内容", "本年收费金额（单位：万元）") + T("行政事业性收费", 0)
    out += "\n三、收到和处理政府信息公开申请情况\n"
    out += T("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况")
    out += T("", "自然人", "法人或其他组织", "总计") + T("", "", "商业\n企业", "科研\n机构", "社会公益组织", "法律服务机构", "其他", "")
    groups = {"refused": "（三）不予公开", "unavailable": "（四）无法提供", "not_processed": "（五）不予处理", "other": "（六）其他处理"}
    seen = set()
    for k in order:
        vals = t3rows[k]
        if k in ("new_received", "carried_over", "carried_forward"):
            lab = [LABELS[k]]
        elif "." in k:
            g = k.split(".")[0]
            lab = ["", groups[g] if g not in seen else "", LABELS[k]]
            seen.add(g)
        else:
            lab = ["三、本年度办理结果" if k == "granted" else "", LABELS[k]]
        out += T(*(lab + vals))
    out += "\n  四、政府信息公开行政复议、行政诉讼情况\n"
    out += T("行政复议", "行政诉讼") + T("结果维持", "结果\n纠正", "其他\n结果", "尚未\n审结", "总计", "未经复议直接起诉", "复议后起诉")
    out += T("", "", "", "", "", *(["结果\n维持", "结果\n纠正", "其他\n结果", "尚未\n审结", "总计"] * 2)) + T(*t4)
    out += "\n  五、存在的主要问题及改进情况\n\n无。\n\n    六、其他需要报告的事项\n\n无。\n\n%s\n\n2022年1月25日\n" % agency
    gold = {"template": "2021", "agency": agency, "year": year, "published": "2022-01-25",
            "cells": gold_cells(t2, t3rows, t4),
            "notes": "Synthetic. The seed's tab-indented form for another agency: continuation lines, bare TABs, rowspan-like blank label cells."}
    write("106-tab-text-2021.txt", out, gold)


if __name__ == "__main__":
    tab_text()
    gbk_portal()
    one_cell_per_line()
    t19_html()
    wrong_totals()
