import sys, time, resource
from aousdctl.net import feeds
def wrap(inner): return b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>x</title>' + inner + b"</channel></rss>"
size = int(sys.argv[2])
k = sys.argv[1]
if k == "nested": body = wrap(b"<item><title>t</title><link>https://e.com/1</link>" + b"<x>" * (size//3) + b"</item>")
if k == "attrs": body = wrap(b"<item><title>t</title><link>https://e.com/1</link><category " + b" ".join(b'a%d="1"' % i for i in range(size//10)) + b"/></item>")
if k == "tags": body = wrap(b"<item><title>t</title><link>https://e.com/1</link><description>" + b"&lt;b&gt;x" * (size//10) + b"</description></item>")
if k == "loose": body = wrap(b"<item><title>t</title><link>https://e.com/1</link>" + b"<x>&" * (size//4) + b"</item>")
t = time.monotonic()
try: r = feeds.parse(body); print(k, len(body), len(r), end=" ")
except Exception as e: print(k, len(body), repr(e)[:80], end=" ")
print("%.2fs" % (time.monotonic()-t), "maxrss %d MB" % (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss//1024))
