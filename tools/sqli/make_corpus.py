#!/usr/bin/env python3
"""Builds the differential-test corpus for @detectSQLi (docs/detect_sqli_xss.md).

Output: one input per line, "<category>\t<hex bytes>". Deterministic (fixed seeds).
Categories:
  crs942     every data/uri/header value of the CRS 3.3.4 REQUEST-942 regression tests, raw and
             with each parameter value URL-decoded
  crsother   the same for all other CRS regression tests (mostly non-SQL attacks and benign data)
  mutation   CRS 942 parameter values mutated (case, comment/whitespace swaps, quote insertion,
             truncation, concatenation), seed 5
  generated  random concatenations of SQL fragments in all quoting styles, seed 7
  benign     generated ordinary form values (names, prices, dates, prose, JSON), seed 9
  chinese    Chinese form values and prose, UTF-8 and GBK encoded, seed 13
  stress     (only with --stress N) N strings of random bytes drawn mostly from SQL
             punctuation, quotes, digits, letters and fragments, 3 % of them repeated 30-70 times
             (--stress N P: up to P pieces per string, seed 17+P; default P = 16, seed 17+16)
Usage: make_corpus.py CRS_TESTS_DIR [--stress N [P]] > corpus.txt
"""
import os
import random
import sys
import urllib.parse

import yaml


def crs_values(root, want942):
    out = []
    for d in sorted(os.listdir(root)):
        p = os.path.join(root, d)
        if not os.path.isdir(p) or d.startswith("REQUEST-942") != want942:
            continue
        for f in sorted(os.listdir(p)):
            if not f.endswith(".yaml"):
                continue
            try:
                doc = yaml.safe_load(open(os.path.join(p, f), encoding="utf-8", errors="replace"))
            except Exception:
                continue
            for t in doc.get("tests", []) or []:
                for st in t.get("stages", []) or []:
                    inp = (st.get("stage") or {}).get("input") or {}
                    for key in ("data", "uri"):
                        v = inp.get(key)
                        if isinstance(v, list):
                            v = "".join(str(x) for x in v)
                        if not isinstance(v, str):
                            continue
                        out.append(v.encode("utf-8", "surrogateescape"))
                        q = v.split("?", 1)[1] if key == "uri" and "?" in v else v
                        for part in q.split("&"):
                            val = part.split("=", 1)[1] if "=" in part else part
                            out.append(urllib.parse.unquote_to_bytes(val.replace("+", " ")))
                    for hv in (inp.get("headers") or {}).values():
                        out.append(str(hv).encode("utf-8", "surrogateescape"))
    seen, uniq = set(), []
    for v in out:
        if v and v not in seen:
            seen.add(v)
            uniq.append(v)
    return uniq


FRAG = [
    "'", '"', "`", "1", "0", "-1", "1e3", "0x41", "0b1", ".5", "1.", "1.e", "$1,000", "$$", "$a$",
    " ", "  ", "\t", "\n", "\x00", "\xa0", "+", "-", "--", "-- ", "#", "/*", "*/", "/**/", "/*!",
    "/*!50000", ";", ",", "(", ")", "((", "))", "{", "}", "[", "]", "=", "<", ">", "<>", "!=",
    "<=>", "||", "&&", "|", "&", "^", "~", "!", "%", "*", "/", ":", "::", ":=", "@", "@@", "@a",
    "@@version", "\\", "\\N", "?", ".", "OR", "or", "AND", "and", "XOR", "NOT", "not", "IS", "NULL",
    "UNION", "union", "UNION ALL", "SELECT", "select", "FROM", "WHERE", "LIMIT", "ORDER BY",
    "GROUP BY", "HAVING", "INSERT", "INTO", "VALUES", "UPDATE", "SET", "DELETE", "DROP", "TABLE",
    "EXEC", "EXECUTE", "DECLARE", "WAITFOR", "DELAY", "SLEEP", "BENCHMARK", "IF", "CASE", "WHEN",
    "THEN", "ELSE", "END", "LIKE", "IN", "NOT IN", "BETWEEN", "COLLATE", "utf8_bin", "CAST", "AS",
    "INT", "CHAR", "VARCHAR", "CONCAT", "CHAR(", "ASCII", "SUBSTRING", "user", "USER()", "version()",
    "database()", "current_user", "INTO OUTFILE", "LOAD_FILE", "information_schema", "tables",
    "admin", "id", "x", "foo", "bar", "sp_password", "N'", "E'", "q'[", "U&'", "x'41'", "b'01'",
    "TRUE", "FALSE", "DIV", "MOD", "REGEXP", "RLIKE", "SOUNDS LIKE", "ALL", "ANY", "SOME", "EXISTS",
    "HAVING 1=1", "1=1", "'1'='1", "a.b", "`a`", "[a]", "中文", "测试", "\xe4\xb8", "é",
]


def gen_sql(rng, n):
    out = []
    for _ in range(n):
        k = rng.randint(1, 9)
        s = "".join(rng.choice(FRAG) + rng.choice(["", " ", " ", "", "/**/", "\t"]) for _ in range(k))
        out.append(s.encode("utf-8", "surrogateescape"))
    return out


def mutate(rng, vals, n):
    out = []
    for _ in range(n):
        v = bytearray(rng.choice(vals))
        for _ in range(rng.randint(1, 3)):
            op = rng.randint(0, 8)
            if op == 0:
                v = bytearray(bytes(v).swapcase())
            elif op == 1:
                v = bytearray(bytes(v).replace(b" ", rng.choice([b"/**/", b"\t", b"\n", b"+", b"  "])))
            elif op == 2 and v:
                i = rng.randrange(len(v) + 1)
                v[i:i] = rng.choice([b"'", b'"', b"`", b")", b"(", b"--", b"#", b";", b"1", b" or 1=1"])
            elif op == 3 and len(v) > 2:
                v = v[: rng.randrange(1, len(v))]
            elif op == 4 and len(v) > 2:
                v = v[rng.randrange(1, len(v)):]
            elif op == 5:
                v = bytearray(rng.choice([b"'", b'"', b"1'", b"1\"", b"a' ", b"1) ", b"')"])) + v
            elif op == 6:
                v += rng.choice([b"--", b"-- -", b"#", b"/*", b";", b"'", b"\"", b" limit 1", b"`"])
            elif op == 7 and v:
                i = rng.randrange(len(v))
                v[i] = rng.randrange(256)
            else:
                v += b" " + rng.choice(vals)
        out.append(bytes(v))
    return out


BENIGN_WORDS = ("the a of and to in is you that it he was for on are as with his they I at be this have "
                "from or one had by word but not what all were we when your can said there use an each "
                "which she do how their if will up other about out many then them these so some her "
                "would make like him into time has look two more write go see number no way could "
                "people my than first water been call who oil its now find long down day did get come "
                "made may part select union order group table drop update insert delete").split()


def gen_benign(rng, n):
    out = []
    first = ["John", "Mary", "O'Brien", "D'Angelo", "Zoë", "Smith-Jones", "Li", "Wang"]
    for _ in range(n):
        kind = rng.randint(0, 11)
        if kind == 0:
            s = f"{rng.choice(first)} {rng.choice(first)}"
        elif kind == 1:
            s = f"{rng.choice(first).lower()}.{rng.randint(1, 999)}@example.{rng.choice(['com', 'gov.cn', 'org'])}"
        elif kind == 2:
            s = rng.choice(["$", "¥", "€", ""]) + f"{rng.randint(0, 99999):,}.{rng.randint(0, 99):02d}"
        elif kind == 3:
            s = f"{rng.randint(1990, 2030)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        elif kind == 4:
            s = f"+86 {rng.randint(130, 199)}-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}"
        elif kind == 5:
            s = " ".join(rng.choice(BENIGN_WORDS) for _ in range(rng.randint(1, 14)))
            s = s.capitalize() + rng.choice([".", "!", "?", "", " -- thanks", " (see below)", "'s"])
        elif kind == 6:
            s = '{"id": %d, "name": "%s", "tags": ["a", "b"]}' % (rng.randint(0, 1000), rng.choice(first))
        elif kind == 7:
            s = f"/path/to/{rng.choice(BENIGN_WORDS)}.{rng.choice(['php', 'html', 'jpg'])}?x={rng.randint(0, 9)}"
        elif kind == 8:
            s = str(rng.randint(-100000, 100000)) + rng.choice(["", ".5", "e3", "%", " kg", "px"])
        elif kind == 9:
            s = "".join(rng.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/=")
                        for _ in range(rng.randint(4, 40)))
        elif kind == 10:
            s = f"It's {rng.choice(BENIGN_WORDS)} and {rng.randint(1, 99)} {rng.choice(BENIGN_WORDS)}"
        else:
            s = rng.choice(["yes", "no", "on", "off", "true", "1", "0", "N/A", "-", "--", "#1", "a-b",
                            "C++", "50% off", "x=1", "a & b", "1;2;3", "(none)", "[draft]", "<b>"])
        out.append(s.encode("utf-8"))
    return out


CN = ("政府 网站 公告 通知 关于 进一步 加强 管理 工作 的 意见 市民 办事 指南 申请 材料 身份证 户口 "
      "社保 公积金 查询 投诉 建议 联系 电话 地址 北京市 上海市 人民 政府 办公厅 发布 时间 年 月 日 "
      "选择 联合 删除 更新 插入 表 或者 并且 非 是 否 一 二 三 第 号 文件 《 》 “ ” ， 。 ； ： （ ） 、").split()


def gen_chinese(rng, n):
    out = []
    for _ in range(n):
        s = "".join(rng.choice(CN) for _ in range(rng.randint(1, 12)))
        if rng.random() < 0.3:
            s += rng.choice(["'", "' or 1=1", "123", " 1", "--", "#", "（2024）第3号", " and 1", "\"", ";"])
        if rng.random() < 0.3:
            s = rng.choice(["'", "1 ", "张三", "ID:", "\""]) + s
        enc = "gbk" if rng.random() < 0.5 else "utf-8"
        out.append(s.encode(enc, "replace"))
    return out


def gen_stress(rng, n, max_pieces=16):
    alphabet = list(b"'\"`()[]{},;.:=<>!|&^~%*/+-#@$\\?0123456789 \t\n\x00\xa0abexnqu_EBXNQU") + [None] * 10
    out = []
    for _ in range(n):
        b = bytearray()
        for _ in range(rng.randint(1, max_pieces)):
            c = rng.choice(alphabet)
            if c is None:
                b += rng.choice(FRAG).encode("utf-8", "surrogateescape")
            elif rng.random() < 0.03:  # long runs: tokens beyond the 31-byte token buffer
                b += bytes([c]) * rng.randint(30, 70)
            else:
                b += bytes([c])
        out.append(bytes(b))
    return out


def main():
    root = sys.argv[1]
    if len(sys.argv) > 3 and sys.argv[2] == "--stress":
        pieces = int(sys.argv[4]) if len(sys.argv) > 4 else 16
        for v in gen_stress(random.Random(17 + pieces), int(sys.argv[3]), pieces):
            sys.stdout.write(f"stress\t{v.hex()}\n")
        return
    crs942 = crs_values(root, True)
    crsother = crs_values(root, False)
    rows = [("crs942", v) for v in crs942] + [("crsother", v) for v in crsother]
    vals942 = [v for v in crs942 if len(v) < 400]
    rows += [("mutation", v) for v in mutate(random.Random(5), vals942, 6000)]
    rows += [("generated", v) for v in gen_sql(random.Random(7), 12000)]
    rows += [("benign", v) for v in gen_benign(random.Random(9), 4000)]
    rows += [("chinese", v) for v in gen_chinese(random.Random(13), 3000)]
    for cat, v in rows:
        if v:
            sys.stdout.write(f"{cat}\t{v.hex()}\n")


if __name__ == "__main__":
    main()
