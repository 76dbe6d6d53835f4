# An RTSP camera for tests: a moving-ball test pattern, 320x240 at 10 fps, MJPEG over RTP, on 127.0.0.1.
# Runs as its own process (FFmpeg cannot be both ends of RTSP inside one JVM here). Usage: serve_test_pattern.py PORT
import sys
import gi
gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import Gst, GstRtspServer, GLib

Gst.init(None)
port = sys.argv[1]
server = GstRtspServer.RTSPServer()
server.set_address("127.0.0.1")
server.set_service(port)
factory = GstRtspServer.RTSPMediaFactory()
factory.set_launch("( videotestsrc is-live=true pattern=ball ! video/x-raw,width=320,height=240,framerate=10/1 ! videoconvert ! video/x-raw,format=I420 ! jpegenc ! rtpjpegpay name=pay0 pt=96 )")
factory.set_shared(True)
server.get_mount_points().add_factory("/cam", factory)
server.attach(None)
print("rtsp server ready on", port, flush=True)
GLib.MainLoop().run()
