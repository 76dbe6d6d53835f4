# The camera simulator: serves folders of JPEG frames (vtest.avi, extracted when the image is built) as live RTSP
# cameras, looping forever, MJPEG over RTP at a fixed frame rate. The frame shown depends on the wall clock only,
# so the stream behaves like a real camera: any number of clients (the job's cameras, ffplay, VLC) share it, and a
# client that reconnects rejoins "now", not where it left off.
#
# Usage: serve_rtsp.py [--port 8554] [--fps 10] [--mount /vtest=/srv/video/vtest ...]
#   each --mount PATH=DIR serves DIR/*.jpg in name order at rtsp://HOST:PORT/PATH.
import argparse
import glob
import os
import sys
import time

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402


class LoopingCamera:
    """One mount: a live appsrc fed from a timer with the frame that the wall clock selects."""

    def __init__(self, frames, fps):
        self.frames = frames
        self.fps = fps

    def launch_line(self):
        return ("( appsrc name=src is-live=true do-timestamp=true format=time "
                f"caps=image/jpeg,framerate={self.fps}/1 max-buffers=2 leaky-type=downstream "
                "! jpegparse ! rtpjpegpay name=pay0 pt=96 )")

    def on_media_configure(self, _factory, media):
        appsrc = media.get_element().get_child_by_name("src")
        running = {"on": True}
        media.connect("unprepared", lambda _media: running.update(on=False))

        def push():
            if not running["on"]:
                return False
            frame = self.frames[int(time.monotonic() * self.fps) % len(self.frames)]
            # FLUSHING while the media is still starting; a full queue drops the oldest frame (leaky appsrc).
            appsrc.emit("push-buffer", Gst.Buffer.new_wrapped(frame))
            return True

        GLib.timeout_add(max(1, round(1000 / self.fps)), push)


def main():
    parser = argparse.ArgumentParser(description="RTSP camera simulator")
    parser.add_argument("--port", default=os.environ.get("RTSP_PORT", "8554"))
    parser.add_argument("--fps", type=int, default=int(os.environ.get("CAMERA_FPS", "10")))
    parser.add_argument("--mount", action="append", default=[],
                        help="PATH=DIR: serve DIR/*.jpg at rtsp://host:port/PATH (default /vtest=/srv/video/vtest)")
    args = parser.parse_args()

    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("0.0.0.0")
    server.set_service(str(args.port))
    for spec in args.mount or ["/vtest=/srv/video/vtest"]:
        path, _, folder = spec.partition("=")
        if not path.startswith("/") or not folder:
            sys.exit(f"--mount takes /PATH=DIR, got {spec!r}")
        files = sorted(glob.glob(os.path.join(folder, "*.jpg")))
        if not files:
            sys.exit(f"no JPEG frames in {folder}")
        frames = []
        for name in files:
            with open(name, "rb") as f:
                frames.append(f.read())
        camera = LoopingCamera(frames, args.fps)
        factory = GstRtspServer.RTSPMediaFactory()
        factory.set_launch(camera.launch_line())
        factory.set_shared(True)
        factory.connect("media-configure", camera.on_media_configure)
        server.get_mount_points().add_factory(path, factory)
        print(f"camera: rtsp://<host>:{args.port}{path} <- {len(frames)} frames of {folder} at {args.fps} fps, looped",
              flush=True)
    if server.attach(None) == 0:
        sys.exit(f"cannot listen on port {args.port}")
    print("rtsp server ready", flush=True)
    GLib.MainLoop().run()


if __name__ == "__main__":
    main()
