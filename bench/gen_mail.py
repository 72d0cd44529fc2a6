#!/usr/bin/env python3
"""Deterministic generator of realistic mixed mail for the benchmarks.

    gen_mail.py --count N --avg-kb 130 --seed S --out DIR

writes DIR/000001.eml ... DIR/<N>.eml (CRLF line endings, the bytes an IMAP server sends) and prints one JSON line
with the achieved average and total size. The same (count, avg-kb, seed) always gives the same bytes: message i
is generated from its own random stream seeded with "seed:i", so the corpus is reproducible and cacheable.

The mix (by message): plain text, HTML with URLs, multipart/alternative, mail with attachments (pdf/png/zip-like
random bytes, base64), forwarded phishing reports (message/rfc822 nested, sometimes with its own attachment),
non-ASCII subjects (RFC 2047 B and Q) and bodies (UTF-8 and ISO-8859-1, quoted-printable or base64), and a few large
messages (1-6 MB). Sizes follow a log-normal distribution scaled so the average lands close to --avg-kb.

Python 3 standard library only.
"""

import argparse
import base64
import binascii
import json
import math
import os
import random
import sys
import time

CRLF = "\r\n"
DOMAINS = ["example.com", "corp.example", "bank-secure.example", "mail.example.org", "partner.example.net",
           "lab.test", "shop.example", "hr.example.com"]
NAMES = ["Alice Martin", "Bob Schulz", "Carol Nguyen", "Dave O'Brien", "Eve Dupont", "Frank Müller",
         "Grace Hopper", "Héloïse Lefèvre", "Иван Петров", "山田太郎", "SOC Team", "IT Helpdesk",
         "Security Alerts", "Payroll", "Zoë Ångström"]
WORDS = ("account invoice payment urgent verify password security update meeting report quarter review "
         "please attached document customer order shipment delivery confirm details login portal access "
         "team schedule budget project deadline server incident alert phishing suspicious link click "
         "reset credentials mailbox quota expired renewal contract signature approval request").split()
NON_ASCII_PHRASES = ["Grüße aus München", "Réunion à 14h — ordre du jour", "Счёт на оплату №4711",
                     "請求書の送付について", "Ihre Rechnung über 1.234,56 €", "Año nuevo, contraseña nueva",
                     "Überprüfung Ihres Kontos erforderlich", "Facture impayée – dernier rappel",
                     "Важное уведомление безопасности", "您的邮箱即将过期"]
LATIN1_PHRASES = ["Très cordialement, l'équipe sécurité", "Schöne Grüße, Ihr Kundenservice",
                  "Señor García, su pedido está listo", "Ærlig talt, det er ikke så nøye"]
ATTACHMENT_KINDS = [("application/pdf", "pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"),
                    ("image/png", "png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
                    ("application/zip", "zip", b"PK\x03\x04\x14\x00\x00\x00\x08\x00"),
                    ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx",
                     b"PK\x03\x04\x14\x00\x06\x00")]
GENERATOR_VERSION = 2  # bump whenever the output for a given seed changes (run_benchmarks.sh caches by it)
BASE_TIME = 1767225600  # 2026-01-01T00:00:00Z: Date headers are fixed, not "now", so output is reproducible


def encoded_word(text, rng):
    raw = text.encode("utf-8")
    if rng.random() < 0.5:
        return "=?UTF-8?B?" + base64.b64encode(raw).decode("ascii") + "?="
    q = "".join(chr(b) if (48 <= b <= 57 or 65 <= b <= 90 or 97 <= b <= 122) else
                "_" if b == 32 else "=%02X" % b for b in raw)
    return "=?UTF-8?Q?" + q + "?="


def address(rng, name=None):
    name = name or rng.choice(NAMES)
    local = "".join(c for c in name.lower() if c.isascii() and c.isalnum()) or "user%d" % rng.randrange(1000)
    addr = "%s@%s" % (local, rng.choice(DOMAINS))
    if name.isascii():
        return '"%s" <%s>' % (name.replace('"', ""), addr)
    return "%s <%s>" % (encoded_word(name, rng), addr)


def sentence(rng, n=None):
    words = rng.choices(WORDS, k=n or 6 + rng.getrandbits(3) + rng.getrandbits(2))
    return " ".join(words).capitalize() + "."


def text_block(rng, size, non_ascii=False):
    """Paragraphs of prose of about `size` characters (lines <= 76)."""
    out, total = [], 0
    while total < size:
        line = sentence(rng)
        if non_ascii and rng.random() < 0.3:
            line += " " + rng.choice(NON_ASCII_PHRASES)
        out.append(line[:76])
        total += len(out[-1]) + 2
        if rng.random() < 0.15:
            out.append("")
    return CRLF.join(out) + CRLF


def url(rng):
    host = rng.choice(["login-micros0ft.example", "secure-update.example.net", "docs.example.com",
                       "bit.example/x", "paypa1-verify.example", "intranet.corp.example"])
    return "https://%s/%s?id=%d" % (host, rng.choice(["login", "verify", "doc", "reset", "track"]),
                                   rng.randrange(10 ** 8))


def html_block(rng, size):
    parts, total = ["<html><head><meta charset=\"utf-8\"><title>Notice</title></head><body>"], 0
    while total < size:
        p = "<p>%s <a href=\"%s\">%s</a> %s</p>" % (sentence(rng), url(rng), rng.choice(WORDS), sentence(rng))
        parts.append(p)
        total += len(p)
    parts.append("<table><tr><td>Ref</td><td>%d</td></tr></table></body></html>" % rng.randrange(10 ** 6))
    return CRLF.join(parts) + CRLF


def qp_encode(data):
    # b2a_qp keeps the input's line ends and uses CRLF soft breaks for CRLF text: normalise to exactly CRLF
    return binascii.b2a_qp(data, istext=True).decode("ascii").replace("\r\n", "\n").replace("\n", CRLF)


def b64_lines(data):
    enc = base64.b64encode(data).decode("ascii")
    return CRLF.join(enc[i:i + 76] for i in range(0, len(enc), 76)) + CRLF


def text_part(rng, size, non_ascii):
    """A text/plain leaf: headers + body, in UTF-8 (8bit/QP/base64) or ISO-8859-1 (QP)."""
    body = text_block(rng, size, non_ascii)
    if non_ascii and rng.random() < 0.3:
        body += rng.choice(LATIN1_PHRASES) + CRLF
        return ("Content-Type: text/plain; charset=ISO-8859-1" + CRLF + "Content-Transfer-Encoding: quoted-printable"
                + CRLF + CRLF + qp_encode(body.encode("iso-8859-1", "replace")))
    if non_ascii:
        if rng.random() < 0.5:
            return ("Content-Type: text/plain; charset=UTF-8" + CRLF + "Content-Transfer-Encoding: quoted-printable"
                    + CRLF + CRLF + qp_encode(body.encode("utf-8")))
        return ("Content-Type: text/plain; charset=utf-8" + CRLF + "Content-Transfer-Encoding: base64" + CRLF + CRLF
                + b64_lines(body.encode("utf-8")))
    return "Content-Type: text/plain; charset=us-ascii" + CRLF + "Content-Transfer-Encoding: 7bit" + CRLF + CRLF + body


def html_part(rng, size):
    return ("Content-Type: text/html; charset=utf-8" + CRLF + "Content-Transfer-Encoding: quoted-printable" + CRLF
            + CRLF + qp_encode(html_block(rng, size).encode("utf-8")))


def attachment_part(rng, raw_size):
    ctype, ext, magic = rng.choice(ATTACHMENT_KINDS)
    data = magic + rng.randbytes(max(0, raw_size - len(magic)))
    stem = rng.choice(["invoice", "report", "scan", "Rechnung_Größe", "photo", "statement", "archive"])
    name = "%s_%d.%s" % (stem, rng.randrange(10000), ext)
    if name.isascii():
        disp = 'attachment; filename="%s"' % name
    else:
        disp = "attachment; filename*=UTF-8''" + "".join(
            c if c.isascii() and c.isalnum() or c in "._-" else "".join("%%%02X" % b for b in c.encode("utf-8"))
            for c in name)
    return ("Content-Type: %s; name=\"%s\"" % (ctype, name.encode("ascii", "replace").decode()) + CRLF
            + "Content-Disposition: " + disp + CRLF + "Content-Transfer-Encoding: base64" + CRLF + CRLF
            + b64_lines(data))


def multipart(rng, subtype, parts):
    boundary = "=_b%016x" % rng.getrandbits(64)
    out = ["Content-Type: multipart/%s; boundary=\"%s\"" % (subtype, boundary), "", "This is a MIME message."]
    for p in parts:
        out.append("--" + boundary)
        out.append(p.rstrip(CRLF))
    out.append("--" + boundary + "--")
    return CRLF.join(out) + CRLF


def headers(rng, i, subject, non_ascii):
    t = BASE_TIME + i * 97 + rng.randrange(60)
    date = time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(t))
    subj = encoded_word(subject, rng) if not subject.isascii() else subject
    h = ["Return-Path: <bounce@%s>" % rng.choice(DOMAINS),
         "Received: from mx%d.%s (mx.example [192.0.2.%d]) by mail.lab.test with ESMTPS id %08X; %s" % (
             rng.randrange(9), rng.choice(DOMAINS), rng.randrange(1, 255), rng.getrandbits(32), date),
         "From: " + address(rng), "To: " + address(rng, "SOC Team"), "Subject: " + subj, "Date: " + date,
         "Message-ID: <%016x.%d@%s>" % (rng.getrandbits(64), i, rng.choice(DOMAINS)), "MIME-Version: 1.0",
         "X-Mailer: %s" % rng.choice(["Microsoft Outlook 16.0", "Thunderbird 115.3", "Apple Mail (2.3731)"])]
    if rng.random() < 0.3:
        h.append("Cc: " + address(rng))
    if non_ascii and rng.random() < 0.5:
        h.append("Thread-Topic: " + encoded_word(rng.choice(NON_ASCII_PHRASES), rng))
    return CRLF.join(h) + CRLF


def subject_for(rng, non_ascii):
    if non_ascii:
        return rng.choice(NON_ASCII_PHRASES) + " " + str(rng.randrange(1000))
    return sentence(rng, rng.randint(3, 7))[:-1]


def body_for(rng, size, kind, non_ascii, depth=0):
    """The MIME entity (its Content-* headers + body) of a message of about `size` bytes."""
    text = min(size, rng.randint(1500, 6000))
    if kind == "plain":
        return text_part(rng, size, non_ascii)
    if kind == "html":
        return html_part(rng, size)
    if kind == "alternative":
        return multipart(rng, "alternative", [text_part(rng, size // 3, non_ascii), html_part(rng, size // 2)])
    if kind == "attachments":
        n = rng.choice([1, 1, 1, 2, 2, 3])
        raw = max(64, (size - text - 700 * n - 900) * 57 // 78)  # base64: 4/3, plus CRLF every 76
        cuts = sorted(rng.randrange(raw) for _ in range(n - 1))
        sizes = [b - a for a, b in zip([0] + cuts, cuts + [raw])]
        first = multipart(rng, "alternative", [text_part(rng, text // 2, non_ascii), html_part(rng, text // 2)]) \
            if rng.random() < 0.5 else text_part(rng, text, non_ascii)
        return multipart(rng, "mixed", [first] + [attachment_part(rng, max(64, s)) for s in sizes])
    # forwarded phishing report: a short note plus the suspicious mail as message/rfc822
    inner_size = max(1500, size - 2000)
    inner_kind = "plain" if depth > 0 else "attachments" if inner_size > 64 << 10 else \
        rng.choice(["html", "alternative", "attachments"])
    inner = headers(rng, rng.randrange(10 ** 6), "Action required: " + subject_for(rng, non_ascii), non_ascii) \
        + body_for(rng, inner_size, inner_kind, non_ascii, depth + 1)
    note = "Content-Type: text/plain; charset=utf-8" + CRLF + CRLF + "Please check this suspicious mail." + CRLF
    fwd = "Content-Type: message/rfc822" + CRLF + "Content-Disposition: attachment; filename=\"suspicious.eml\"" \
        + CRLF + CRLF + inner
    return multipart(rng, "mixed", [note, fwd])


def plan_sizes(count, avg_bytes, seed):
    rng = random.Random("%s:sizes" % seed)
    sigma = 1.4
    mu = math.log(avg_bytes) - sigma * sigma / 2
    large = set(rng.sample(range(count), max(1, count // 200))) if count >= 20 else set()
    sizes = [rng.randint(1 << 20, 6 << 20) if i in large else
             min(int(rng.lognormvariate(mu, sigma)), 900 << 10) for i in range(count)]
    small_total = sum(s for i, s in enumerate(sizes) if i not in large)
    want_small = max(count * avg_bytes - sum(sizes[i] for i in large), 2000 * (count - len(large)))
    scale = want_small / small_total if small_total else 1.0
    return [s if i in large else max(1200, int(s * scale)) for i, s in enumerate(sizes)]


def generate(i, size, seed):
    rng = random.Random("%s:%d" % (seed, i))
    non_ascii = rng.random() < 0.25
    if size < 32 << 10:
        kind = rng.choices(["plain", "html", "alternative", "forward"], [35, 25, 30, 10])[0]
    else:
        kind = rng.choices(["attachments", "forward", "alternative"], [75, 20, 5])[0]
    if kind == "alternative" and size >= 32 << 10:
        kind = "attachments"
    msg = headers(rng, i, subject_for(rng, non_ascii), non_ascii) + body_for(rng, size, kind, non_ascii)
    return msg.encode("utf-8")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--avg-kb", type=float, default=130.0)
    ap.add_argument("--seed", default="1")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    if args.count < 1 or args.avg_kb <= 1:
        sys.exit("gen_mail.py: --count must be >= 1 and --avg-kb > 1")
    os.makedirs(args.out, exist_ok=True)
    sizes = plan_sizes(args.count, int(args.avg_kb * 1024), args.seed)
    total, largest, started = 0, 0, time.monotonic()
    for i, size in enumerate(sizes):
        data = generate(i, size, args.seed)
        path = os.path.join(args.out, "%06d.eml" % (i + 1))
        with open(path + ".tmp", "wb") as f:
            f.write(data)
        os.replace(path + ".tmp", path)  # a new inode: load_lab.py may have hard-linked the old one into a Maildir
        total += len(data)
        largest = max(largest, len(data))
    for name in os.listdir(args.out):  # stale messages of an earlier, larger run
        if name.endswith(".eml") and name[:-4].isdigit() and int(name[:-4]) > args.count:
            os.unlink(os.path.join(args.out, name))
    summary = {"generated": args.count, "generator": GENERATOR_VERSION, "seed": args.seed, "target_avg_kb": args.avg_kb,
               "avg_kb": round(total / args.count / 1024, 1), "total_mb": round(total / 1048576, 1),
               "largest_kb": round(largest / 1024), "seconds": round(time.monotonic() - started, 2),
               "out": args.out}
    with open(os.path.join(args.out, "MANIFEST.json"), "w") as f:
        json.dump(summary, f)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
