import sys, time, resource
from aousdctl.net import feeds
def items(n):
    return b"".join(b"<item><title>Story %d</title><link>https://e.com/%d</link><guid>g%d</guid><description>Some text about it</description></item>" % (i,i,i) for i in range(n))
def wrap(inner): return b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>x</title>' + inner + b"</channel></rss>"
kinds = {
 "many": lambda: wrap(items(75000)),
 "tags": lambda: wrap(b"<item><title>t</title><link>https://e.com/1</link><description>" + b"&lt;b&gt;x" * 1_000_000 + b"</description></item>"),
 "nested": lambda: wrap(b"<item><title>t</title><link>https://e.com/1</link>" + b"<x>" * 500000 + b"</item>"),
 "attrs": lambda: wrap(b"<item><title>t</title><link>https://e.com/1</link><category " + b" ".join(b'a%d="1"' % i for i in range(700000)) + b"/></item>"),
 "cdata_title": lambda: wrap(b"<item><title>" + b"a " * 5_000_000 + b"</title><link>https://e.com/1</link></item>"),
}
k = sys.argv[1]
body = kinds[k]()
t = time.monotonic()
try:
    r = feeds.parse(body)
    print(k, len(body), "entries", len(r), end=" ")
except Exception as e:
    print(k, len(body), repr(e)[:100], end=" ")
print("%.1fs" % (time.monotonic()-t), "maxrss %d MB" % (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss//1024))
