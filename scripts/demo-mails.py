#!/usr/bin/env python3
"""The demo's sample mails, written by the project itself (no third-party fixtures).

    scripts/demo-mails.py samples --out DIR [--to soc@lab.test] [--date RFC5322-DATE]
    scripts/demo-mails.py reply --out FILE --in-reply-to '<id@host>' --subject S --from bob@lab.test --to soc@lab.test
                                [--body TEXT]

`samples` writes five realistic messages a SOC mailbox receives, one file each, in delivery order:

  01-phishing-report.eml   a user reports a phishing mail by forwarding it as an attachment (message/rfc822);
                           the attached mail is HTML with a credential-harvesting link and its own .html attachment
  02-outlook-msg.eml       a user reports a suspicious mail dragged out of Outlook: an Outlook .msg (a Compound File
                           Binary written here, with subject, sender, recipients, plain and HTML body, Message-ID)
  03-html-urls.eml         an HTML alert mail (multipart/alternative) with several URLs, one of them only in href
  04-non-ascii.eml         RFC 2047 subject and display name (UTF-8, B and Q words), ISO-8859-1 quoted-printable
                           body, RFC 2231 attachment name
  05-out-of-office.eml     an out-of-office auto-reply (Auto-Submitted: auto-replied)

`reply` writes one reply (In-Reply-To and References set) for the scripted answer of Wait For Email From User.
Everything uses CRLF line ends and only reserved names (lab.test, *.example) for the world outside the lab.
"""
import argparse
import base64
import email.utils
import os
import struct
import sys
import textwrap

CRLF = "\r\n"


# ---------------------------------------------------------------------------------------------- MIME helpers
def b64_lines(data: bytes) -> str:
    enc = base64.b64encode(data).decode("ascii")
    return CRLF.join(enc[i:i + 76] for i in range(0, len(enc), 76))


def qp_encode(text: str, charset: str) -> str:
    import quopri
    plain = text.replace("\r\n", "\n")
    return quopri.encodestring(plain.encode(charset)).decode("ascii").replace("\n", CRLF)


def crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", CRLF)


def headers(pairs) -> str:
    return "".join(f"{k}: {v}{CRLF}" for k, v in pairs)


def msgid(tag: str) -> str:
    return f"<{tag}.{os.urandom(6).hex()}@lab.test>"


# ---------------------------------------------------------------------------------------------- a minimal CFB writer
# MS-CFB version 3 (512-byte sectors, 64-byte mini sectors below the 4096-byte cutoff), enough for an Outlook .msg:
# storages and streams, sibling trees balanced in CFB name order (length, then upper-case), all nodes black.
FREESECT, ENDOFCHAIN, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


class Node:
    def __init__(self, name, data=None, children=None):
        self.name, self.data, self.children = name, data, children or []
        self.is_storage = data is None


def cfb_key(name):
    return (len(name.encode("utf-16-le")), name.upper())


def write_cfb(root_children) -> bytes:
    entries = []  # [name, type, left, right, child, start, size, data]

    def add(node, etype):
        entries.append([node.name, etype, NOSTREAM, NOSTREAM, NOSTREAM, 0, 0, node.data])
        return len(entries) - 1

    def tree(children):  # returns the id of the subtree root
        if not children:
            return NOSTREAM
        kids = sorted(children, key=lambda n: cfb_key(n.name))
        mid = len(kids) // 2
        me = add(kids[mid], 1 if kids[mid].is_storage else 2)
        entries[me][2] = tree(kids[:mid])
        entries[me][3] = tree(kids[mid + 1:])
        if kids[mid].is_storage:
            entries[me][4] = tree(kids[mid].children)
        return me

    add(Node("Root Entry", None), 5)
    entries[0][4] = tree(root_children)

    # mini stream: every stream below 4096 bytes, in 64-byte mini sectors
    mini, minifat = bytearray(), []
    big = []
    for e in entries:
        data = e[7]
        if e[1] != 2:
            continue
        e[6] = len(data)
        if len(data) == 0:
            e[5] = ENDOFCHAIN
        elif len(data) < 4096:
            first = len(mini) // 64
            count = (len(data) + 63) // 64
            e[5] = first
            minifat += [first + i + 1 for i in range(count - 1)] + [ENDOFCHAIN]
            mini += data + b"\0" * (count * 64 - len(data))
        else:
            big.append(e)

    def sectors(nbytes):
        return (nbytes + 511) // 512

    dir_bytes = len(entries) * 128
    n_dir = sectors(dir_bytes)
    n_minifat = sectors(len(minifat) * 4)
    n_mini = sectors(len(mini))
    n_big = sum(sectors(e[6]) for e in big)
    n_other = n_dir + n_minifat + n_mini + n_big
    n_fat = 1
    while n_fat * 128 < n_other + n_fat:
        n_fat += 1
    if n_fat > 109:
        raise SystemExit("demo .msg too large for a DIFAT-less compound file")

    fat = [FATSECT] * n_fat
    def chain(count):
        start = len(fat)
        fat.extend(start + i + 1 for i in range(count - 1))
        fat.append(ENDOFCHAIN)
        return start

    dir_start = chain(n_dir)
    minifat_start = chain(n_minifat) if n_minifat else ENDOFCHAIN
    mini_start = chain(n_mini) if n_mini else ENDOFCHAIN
    for e in big:
        e[5] = chain(sectors(e[6]))
    entries[0][5], entries[0][6] = mini_start, len(mini)
    fat += [FREESECT] * (n_fat * 128 - len(fat))

    header = bytearray(512)
    header[0:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    struct.pack_into("<HHHHH", header, 24, 0x003E, 0x0003, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 40, 0, n_fat, dir_start, 0, 4096, minifat_start, n_minifat,
                     ENDOFCHAIN, 0)
    difat = list(range(n_fat)) + [FREESECT] * (109 - n_fat)
    struct.pack_into("<109I", header, 76, *difat)

    def pad(b):
        return bytes(b) + b"\0" * (-len(b) % 512)

    directory = bytearray()
    for name, etype, left, right, child, start, size, _ in entries:
        raw_name = name.encode("utf-16-le") + b"\0\0"
        d = bytearray(128)
        d[0:len(raw_name)] = raw_name
        struct.pack_into("<HBBIII", d, 64, len(raw_name), etype, 1, left, right, child)
        struct.pack_into("<IQ", d, 116, start if etype != 1 else 0, size if etype != 1 else 0)
        directory += d
    out = bytearray(header)
    out += pad(struct.pack(f"<{len(fat)}I", *fat))
    out += pad(directory)
    if n_minifat:
        out += pad(struct.pack(f"<{len(minifat)}I", *minifat))
    if n_mini:
        out += pad(mini)
    for e in big:
        out += pad(e[7])
    return bytes(out)


def substg(prop_id, prop_type):
    return f"__substg1.0_{prop_id:04X}{prop_type:04X}"


def unicode_prop(prop_id, text):
    return Node(substg(prop_id, 0x001F), text.encode("utf-16-le"))


def fixed_props(header_size, props):
    """The __properties_version1.0 stream: header, then 16-byte entries (tag, flags, 8-byte value)."""
    body = b"".join(struct.pack("<IIQ", (pid << 16) | ptype, 6, value) for pid, ptype, value in props)
    return Node("__properties_version1.0", b"\0" * header_size + body)


def filetime(epoch_s):
    return int((epoch_s + 11644473600) * 10_000_000)


def outlook_msg(subject, sender_name, sender_addr, to_name, to_addr, body, html, message_id, sent_epoch):
    recipient = Node("__recip_version1.0_#00000000", children=[
        fixed_props(8, [(0x0C15, 0x0003, 1)]),  # PR_RECIPIENT_TYPE = To
        unicode_prop(0x3001, to_name),
        unicode_prop(0x3003, to_addr),
        unicode_prop(0x39FE, to_addr),
    ])
    transport = crlf(textwrap.dedent(f"""\
        Received: from mail.payroll-update.example (mail.payroll-update.example [203.0.113.45])
        From: {sender_name} <{sender_addr}>
        To: {to_name} <{to_addr}>
        Subject: {subject}
        Message-ID: {message_id}
        Date: {email.utils.formatdate(sent_epoch)}
        """))
    # header of a top-level .msg: 8 reserved, next recipient id, next attachment id, recipient count, attachment count
    props = fixed_props(32, [(0x0039, 0x0040, filetime(sent_epoch)), (0x0E06, 0x0040, filetime(sent_epoch + 30)),
                             (0x3FFD, 0x0003, 65001)])  # submit and delivery time, PR_MESSAGE_CODEPAGE = UTF-8
    props.data = props.data[:8] + struct.pack("<IIII", 1, 0, 1, 0) + props.data[24:]
    return write_cfb([
        props,
        unicode_prop(0x001A, "IPM.Note"),
        unicode_prop(0x0037, subject),
        unicode_prop(0x0C1A, sender_name),
        unicode_prop(0x0C1F, sender_addr),
        unicode_prop(0x5D01, sender_addr),
        unicode_prop(0x0042, sender_name),
        unicode_prop(0x0065, sender_addr),
        unicode_prop(0x1000, body),
        Node(substg(0x1013, 0x0102), html.encode("utf-8")),
        unicode_prop(0x1035, message_id),
        unicode_prop(0x007D, transport),
        recipient,
    ])


# ---------------------------------------------------------------------------------------------- the samples
def phishing_report(to, date):
    inner_id = "<7c1e9a2f.4b1d@secure-mailer.micros0ft-support.example>"
    inner_html = crlf(textwrap.dedent("""\
        <html><body>
        <p>Dear user,</p>
        <p>We detected an unusual sign-in to your Microsoft 365 account. Your mailbox will be
        <b>suspended within 24 hours</b> unless you verify your identity.</p>
        <p><a href="https://login.micros0ft-support.example/owa/verify?session=8f2a91c4&amp;user=alice%40lab.test">Verify my account</a></p>
        <p>Microsoft Account Team<br>
        <img src="https://cdn.micros0ft-support.example/logo.png" alt="Microsoft"></p>
        </body></html>
        """))
    invoice = crlf(textwrap.dedent("""\
        <html><body><form action="https://collect.micros0ft-support.example/post.php" method="post">
        <input name="email"><input name="password" type="password"></form></body></html>
        """)).encode()
    inner = (headers([
        ("Return-Path", "<no-reply@secure-mailer.micros0ft-support.example>"),
        ("Received", "from secure-mailer.micros0ft-support.example (unknown [198.51.100.23]) by mx.lab.test"),
        ("From", '"Microsoft 365" <no-reply@secure-mailer.micros0ft-support.example>'),
        ("To", "Alice Example <alice@lab.test>"),
        ("Subject", "Action required: unusual sign-in activity"),
        ("Date", date),
        ("Message-ID", inner_id),
        ("MIME-Version", "1.0"),
        ("Content-Type", 'multipart/mixed; boundary="inner-b1"'),
    ]) + CRLF + CRLF.join([
        "--inner-b1",
        "Content-Type: text/html; charset=utf-8",
        "Content-Transfer-Encoding: 8bit",
        "",
        inner_html,
        "--inner-b1",
        'Content-Type: text/html; name="Secure_Document.html"',
        'Content-Disposition: attachment; filename="Secure_Document.html"',
        "Content-Transfer-Encoding: base64",
        "",
        b64_lines(invoice),
        "--inner-b1--",
        "",
    ]))
    outer = headers([
        ("From", "Alice Example <alice@lab.test>"),
        ("To", f"SOC <{to}>"),
        ("Subject", "Phishing report: Action required: unusual sign-in activity"),
        ("Date", date),
        ("Message-ID", msgid("report-alice")),
        ("MIME-Version", "1.0"),
        ("Content-Type", 'multipart/mixed; boundary="outer-b1"'),
    ]) + CRLF + CRLF.join([
        "--outer-b1",
        "Content-Type: text/plain; charset=utf-8",
        "",
        "Hi SOC team,",
        "",
        "I received the attached mail this morning. It asks me to verify my account on a site that is not ours.",
        "I did not click the link.",
        "",
        "Alice",
        "--outer-b1",
        'Content-Type: message/rfc822; name="Action required.eml"',
        'Content-Disposition: attachment; filename="Action required.eml"',
        "",
        inner,
        "--outer-b1--",
        "",
    ])
    return outer


def outlook_report(to, date, epoch):
    msg = outlook_msg(
        subject="Payroll update - confirm your bank details",
        sender_name="HR Payroll",
        sender_addr="payroll@payroll-update.example",
        to_name="Bob Example",
        to_addr="bob@lab.test",
        body=("Hello,\r\n\r\nDue to a change of our payroll provider, all employees must confirm their bank details "
              "before Friday:\r\nhttps://payroll-update.example/confirm?emp=20931\r\n\r\nHR Payroll\r\n"),
        html=('<html><body><p>Hello,</p><p>Due to a change of our payroll provider, all employees must confirm '
              'their bank details before Friday:</p><p><a href="https://payroll-update.example/confirm?emp=20931">'
              'Confirm bank details</a></p><p>HR Payroll</p></body></html>'),
        message_id="<a81f3c07.payroll@payroll-update.example>",
        sent_epoch=epoch - 3600,
    )
    return headers([
        ("From", "Bob Example <bob@lab.test>"),
        ("To", f"SOC <{to}>"),
        ("Subject", "FW: Payroll update - confirm your bank details"),
        ("Date", date),
        ("Message-ID", msgid("report-bob")),
        ("MIME-Version", "1.0"),
        ("Content-Type", 'multipart/mixed; boundary="msg-b1"'),
    ]) + CRLF + CRLF.join([
        "--msg-b1",
        "Content-Type: text/plain; charset=utf-8",
        "",
        "This looks fake to me (saved from Outlook, attached). -- Bob",
        "--msg-b1",
        'Content-Type: application/vnd.ms-outlook; name="Payroll update.msg"',
        'Content-Disposition: attachment; filename="Payroll update.msg"',
        "Content-Transfer-Encoding: base64",
        "",
        b64_lines(msg),
        "--msg-b1--",
        "",
    ])


def html_alert(to, date):
    text = crlf(textwrap.dedent("""\
        Impossible travel alert
        User carol@lab.test signed in from Lisbon (PT) and, 14 minutes later, from Singapore (SG).
        Details: https://idp.lab.test/alerts/42817
        Block the account: https://idp.lab.test/users/carol/block
        """))
    html = crlf(textwrap.dedent("""\
        <html><head><style>td { padding: 4px }</style></head><body>
        <h2>Impossible travel alert</h2>
        <table>
        <tr><td>User</td><td>carol@lab.test</td></tr>
        <tr><td>Sign-in 1</td><td>Lisbon (PT), 192.0.2.10</td></tr>
        <tr><td>Sign-in 2</td><td>Singapore (SG), 203.0.113.77, 14 minutes later</td></tr>
        </table>
        <p><a href="https://idp.lab.test/alerts/42817">Details</a> |
        <a href="https://idp.lab.test/users/carol/block">Block the account</a> |
        <a href="https://idp.lab.test/alerts/42817/ack?token=Zm9vYmFy">Acknowledge</a></p>
        </body></html>
        """))
    return headers([
        ("From", "Identity Provider <alerts@idp.lab.test>"),
        ("To", to),
        ("Subject", "[ALERT] Impossible travel for carol@lab.test"),
        ("Date", date),
        ("Message-ID", msgid("idp-alert")),
        ("MIME-Version", "1.0"),
        ("Content-Type", 'multipart/alternative; boundary="alt-b1"'),
    ]) + CRLF + CRLF.join([
        "--alt-b1",
        "Content-Type: text/plain; charset=us-ascii",
        "",
        text,
        "--alt-b1",
        "Content-Type: text/html; charset=utf-8",
        "Content-Transfer-Encoding: quoted-printable",
        "",
        qp_encode(html, "utf-8"),
        "--alt-b1--",
        "",
    ])


def non_ascii(to, date):
    subject = "Überweisung dringend – Rechnung Nº 4711 fällig 🚨"
    b_word = "=?UTF-8?B?" + base64.b64encode(subject.encode()).decode() + "?="
    name = "=?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?="
    body = ("Sehr geehrte Damen und Herren,\n\nbitte überweisen Sie den fälligen Betrag von 4.980,00 € noch heute.\n"
            "Die Rechnung finden Sie im Anhang.\n\nMit freundlichen Grüßen\nJürgen Müller\nBuchhaltung\n")
    attachment = ("Rechnung Nº 4711\nBetrag: 4.980,00 EUR\nIBAN: DE00 0000 0000 0000 0000 00\n").encode("utf-8")
    return headers([
        ("From", f"{name} <j.mueller@buchhaltung-rechnung.example>"),
        ("To", to),
        ("Subject", b_word),
        ("Date", date),
        ("Message-ID", msgid("rechnung")),
        ("MIME-Version", "1.0"),
        ("Content-Type", 'multipart/mixed; boundary="na-b1"'),
    ]) + CRLF + CRLF.join([
        "--na-b1",
        "Content-Type: text/plain; charset=iso-8859-1",
        "Content-Transfer-Encoding: quoted-printable",
        "",
        qp_encode(body.replace("€", "EUR"), "iso-8859-1"),
        "--na-b1",
        "Content-Type: text/plain; charset=utf-8",
        "Content-Disposition: attachment; filename*=UTF-8''Rechnung%20N%C2%BA%204711%20f%C3%A4llig.txt",
        "Content-Transfer-Encoding: base64",
        "",
        b64_lines(attachment),
        "--na-b1--",
        "",
    ])


def out_of_office(to, date):
    return headers([
        ("From", "Dave Traveller <dave@lab.test>"),
        ("To", to),
        ("Subject", "Automatic reply: Weekly SOC report"),
        ("Date", date),
        ("Message-ID", msgid("ooo-dave")),
        ("In-Reply-To", "<weekly-report-48@lab.test>"),
        ("Auto-Submitted", "auto-replied"),
        ("X-Autoreply", "yes"),
        ("Precedence", "auto_reply"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=utf-8"),
    ]) + CRLF + crlf(textwrap.dedent("""\
        I am out of the office until Monday with limited access to e-mail.
        For urgent matters please contact the on-call analyst at soc@lab.test.
        """))


def reply(args):
    body = args.body or "Yes, that was me: I clicked the link but did not enter my password. -- Bob"
    return headers([
        ("From", args.sender),
        ("To", args.to),
        ("Subject", args.subject),
        ("Date", email.utils.formatdate(localtime=False)),
        ("Message-ID", msgid("reply")),
        ("In-Reply-To", args.in_reply_to),
        ("References", args.in_reply_to),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=utf-8"),
    ]) + CRLF + crlf(body + "\n\n> " + "(quoted original)\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("samples")
    s.add_argument("--out", required=True)
    s.add_argument("--to", default="soc@lab.test")
    s.add_argument("--date", help="Date header of every sample (default: now)")
    r = sub.add_parser("reply")
    r.add_argument("--out", required=True)
    r.add_argument("--in-reply-to", required=True)
    r.add_argument("--subject", required=True)
    r.add_argument("--from", dest="sender", default="Bob Example <bob@lab.test>")
    r.add_argument("--to", default="soc@lab.test")
    r.add_argument("--body")
    args = ap.parse_args()

    if args.cmd == "reply":
        with open(args.out, "w", encoding="utf-8", newline="") as f:
            f.write(reply(args))
        return 0
    import time
    epoch = int(time.time())
    date = args.date or email.utils.formatdate(epoch, localtime=False)
    os.makedirs(args.out, exist_ok=True)
    samples = {
        "01-phishing-report.eml": phishing_report(args.to, date),
        "02-outlook-msg.eml": outlook_report(args.to, date, epoch),
        "03-html-urls.eml": html_alert(args.to, date),
        "04-non-ascii.eml": non_ascii(args.to, date),
        "05-out-of-office.eml": out_of_office(args.to, date),
    }
    for name, text in samples.items():
        with open(os.path.join(args.out, name), "w", encoding="utf-8", newline="") as f:
            f.write(text)
        print(os.path.join(args.out, name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
