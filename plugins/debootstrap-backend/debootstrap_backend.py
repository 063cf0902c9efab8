"""An imgc backend that builds Debian trees with debootstrap (the example third-party plugin).

Bootstrap: debootstrap --variant=minbase from the IR's first apt repository, or the archive
in the host's apt sources. Then apt-get in a chroot for later installs and removals, and the
system fields with shadow's and systemd's --root tools. Mounts (proc, sys, dev for the
chroot) are made by this process, which the host runs in a private mount namespace.
"""

import glob
import os
import re
import shutil
import signal
import subprocess

from imgc_sdk import Backend, PluginError, diagnostic

RELEASES = {"bullseye": "11", "bookworm": "12", "trixie": "13"}
ARCH = {"x86_64": "amd64", "aarch64": "arm64", "i686": "i386", "ppc64le": "ppc64el", "s390x": "s390x"}
CODE = "DEBOOTSTRAP"


def _parse_deb822(text):
    stanzas, cur = [], {}
    for line in text.splitlines() + [""]:
        if line.startswith("#"):
            continue
        if not line.strip():
            if cur:
                stanzas.append(cur)
            cur = {}
            continue
        if ":" in line and not line[0].isspace():
            k, v = line.split(":", 1)
            cur[k.strip().lower()] = v.strip()
    return stanzas


def host_archive(suite):
    """The host's Debian archive URL for `suite` (deb822 sources, then one-line sources)."""
    for path in sorted(glob.glob("/etc/apt/sources.list.d/*.sources")):
        with open(path, encoding="utf8") as f:
            for s in _parse_deb822(f.read()):
                if s.get("enabled", "yes") == "no":
                    continue
                suites = s.get("suites", "").split()
                if any(x == suite or not x.endswith("-security") for x in suites) and s.get("uris"):
                    if any(x.endswith("-security") for x in suites):
                        continue
                    return s["uris"].split()[0]
    if os.path.exists("/etc/apt/sources.list"):
        with open("/etc/apt/sources.list", encoding="utf8") as f:
            for line in f:
                m = re.match(r"^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)", line)
                if m and not m.group(2).endswith("-security"):
                    return m.group(1)
    return None


class DebootstrapBackend(Backend):
    id = "debootstrap"
    name = "Debian with debootstrap (Python example plugin)"
    distributions = ["debian"]
    executes = ["bootstrap", "install-packages", "remove-packages", "configure-system",
                "configure-accounts", "configure-services", "finalize"]
    repository_types = ["apt", "apt-deb822"]
    host_tools = {"debootstrap": "debootstrap"}

    def releases(self, distribution):
        return list(RELEASES)

    def resolve_distribution(self, ir, options, host):
        dist = ir.get("distribution", {})
        release = dist.get("release") or options.get("release") or "bookworm"
        by_number = {v: k for k, v in RELEASES.items()}
        suite = by_number.get(release, release)
        if suite not in RELEASES:
            return {"diagnostics": [diagnostic("IMGC7002", "unknown debian release \"%s\" (known: %s)" % (
                release, ", ".join(RELEASES)), "error", pointer="/distribution/release")]}
        wanted = dist.get("architecture") or options.get("arch") or host.get("architecture", "x86_64")
        if ARCH.get(wanted, wanted) != ARCH.get(host.get("architecture"), host.get("architecture")):
            return {"diagnostics": [diagnostic("IMGC7003", "cannot build for %s on a %s host" % (
                wanted, host.get("architecture")), "error", pointer="/distribution/architecture")]}
        return {"distribution": {"id": "debian", "release": release, "suite": suite,
                                 "architecture": ARCH.get(wanted, wanted), "versionId": RELEASES[suite]},
                "diagnostics": []}

    def default_repositories(self, distribution, options, host):
        url = options.get("mirror") or host_archive(distribution["suite"])
        if not url:
            return {"repositories": [], "diagnostics": [diagnostic(
                "IMGC7005", "no debian repository: the definition names none and the host's apt sources have none",
                "error", hint="add a repository to the definition, or pass -O mirror=URL")]}
        return {"repositories": [{"id": "debian", "type": "apt-deb822", "urls": [url],
                                  "suites": [distribution["suite"]], "components": ["main"]}], "diagnostics": []}

    def kernel_packages(self, distribution, ir):
        return [ir["system"]["kernel"].get("package") or "linux-image-" + distribution["architecture"]]

    def initrd_packages(self, initrd):
        return [] if (initrd or {}).get("generator") == "none" else ["initramfs-tools"]

    def system_packages(self, ir):
        s = ir["system"]
        out = []
        if s.get("locale") and not re.match(r"^(C|POSIX)(\.|$)", s["locale"]):
            out.append("locales")
        if s.get("timezone"):
            out.append("tzdata")
        return out

    def unapplied_fields(self, ir):
        out = []
        for i, g in enumerate(ir["packages"]["groups"]):
            out.append(diagnostic("IMGC7006", "package group %s is not applied: debootstrap has no groups" % g["name"],
                                  pointer="/packages/groups/%d" % i))
        for i, m in enumerate(ir["packages"]["modules"]):
            out.append(diagnostic("IMGC7006", "module %s is not applied: apt has no module streams" % m["name"],
                                  pointer="/packages/modules/%d" % i))
        for field in ("selinux", "firewall", "fips"):
            if ir["system"].get(field):
                out.append(diagnostic("IMGC7006", "system.%s is not applied by this plugin" % field,
                                      pointer="/system/" + field))
        if ir["packages"].get("installDocs") is False or ir["packages"].get("languages"):
            out.append(diagnostic("IMGC7006", "docs and languages are not filtered by this plugin",
                                  pointer="/packages"))
        return out

    def plan(self, plan_input):
        ir, dist = plan_input["ir"], plan_input["distribution"]
        repos = [r for r in plan_input["repositories"] if r.get("usage") != "image-only" and r.get("urls")]
        if not repos:
            raise PluginError("no apt repository with a URL to bootstrap from", CODE + "1",
                              hint="add one to the definition or pass -O mirror=URL")
        mirror = repos[0]["urls"][0]
        packages = plan_input["bootstrapPackages"] if plan_input["separateInstall"] else plan_input["packages"]
        options = {
            "distribution": dist["id"], "suite": dist["suite"], "architecture": dist["architecture"],
            "variant": "minbase", "sources": mirror, "keyrings": [], "packages": packages,
            "exclude": [p["name"] for p in ir["packages"]["exclude"]],
            "installRecommends": bool(ir["packages"].get("installWeakDeps", False)),
            "installDocs": ir["packages"].get("installDocs", True), "languages": [],
            "settings": {"components": repos[0].get("components") or ["main"]},
        }
        step = {"type": "bootstrap", "title": "debootstrap %s (%d packages)" % (dist["suite"], len(packages)),
                "options": options, "origin": ["/distribution", "/repositories", "/packages/install"], "cache": True}
        result = {"bootstrap": step, "diagnostics": []}
        if plan_input["separateInstall"]:
            result["install"] = {"type": "install-packages", "title": "apt-get install %d packages" % len(plan_input["packages"]),
                                 "options": {"packages": plan_input["packages"], "exclude": options["exclude"],
                                             "installRecommends": options["installRecommends"]},
                                 "origin": ["/packages/install"], "cache": True}
        return result

    def plan_remove(self, packages, origin):
        return {"type": "remove-packages", "title": "apt-get purge %d packages" % len(packages),
                "options": {"packages": packages}, "origin": origin}

    # --- execution ---------------------------------------------------------------------------

    def _run(self, ctx, argv, stdin=None, count=None):
        """Runs a command, streaming its output to the build log; stops it when the host cancels."""
        env = dict(os.environ, LC_ALL="C.UTF-8", DEBIAN_FRONTEND="noninteractive")
        p = subprocess.Popen(argv, stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, text=True,
                             start_new_session=True)
        if stdin is not None:
            p.stdin.write(stdin)
            p.stdin.close()
        done, tail = 0, []
        for line in p.stdout:
            line = line.rstrip("\n")
            ctx.log(line)
            tail = (tail + [line])[-8:]
            if count and count(line):
                done += 1
                ctx.packages(done)
            if ctx.cancelled.is_set():
                os.killpg(p.pid, signal.SIGTERM)
        rc = p.wait()
        if ctx.cancelled.is_set():
            raise PluginError("cancelled", CODE + "2")
        if rc != 0:
            raise PluginError("%s failed (exit status %d):\n  %s" % (os.path.basename(argv[0]), rc, "\n  ".join(tail)),
                              CODE + "3", hint="the build log holds its whole output")

    def _chroot(self, ctx, argv, stdin=None):
        """apt and friends in the tree, with proc/sys/dev mounted only for the command."""
        t = ctx.tree
        mounted = []
        try:
            for fs, target, args in (("proc", "proc", ["-t", "proc", "proc"]), ("sys", "sys", ["-t", "sysfs", "sys"]),
                                     ("dev", "dev", ["--rbind", "/dev"])):
                subprocess.run(["mount"] + args + [os.path.join(t, target)], check=True)
                mounted.append(os.path.join(t, target))
            self._run(ctx, ["chroot", t] + argv, stdin)
        finally:
            for m in reversed(mounted):
                subprocess.run(["umount", "-R", "-l", m], check=False)

    def execute(self, step, ctx):
        o = step["options"]
        kind = step["type"]
        if kind == "bootstrap":
            os.makedirs(ctx.package_cache, exist_ok=True)
            argv = ["debootstrap", "--variant=" + o["variant"], "--arch=" + o["architecture"],
                    "--components=" + ",".join(o.get("settings", {}).get("components", ["main"])),
                    "--cache-dir=" + ctx.package_cache]
            if o["packages"]:
                argv.append("--include=" + ",".join(o["packages"]))
            if o["exclude"]:
                argv.append("--exclude=" + ",".join(o["exclude"]))
            ctx.note("debootstrap " + o["suite"])
            self._run(ctx, argv + [o["suite"], ctx.tree, o["sources"]], count=lambda l: l.startswith("I: Configuring "))
        elif kind == "install-packages":
            if o["packages"]:
                self._chroot(ctx, ["apt-get", "install", "-y", "-q", "-o",
                                   "APT::Install-Recommends=%s" % str(o["installRecommends"]).lower()] + o["packages"])
        elif kind == "remove-packages":
            if o["packages"]:
                self._chroot(ctx, ["apt-get", "purge", "-y", "-q"] + o["packages"])
        elif kind == "configure-system":
            self._configure_system(o, ctx)
        elif kind == "configure-accounts":
            self._configure_accounts(o, ctx)
        elif kind == "configure-services":
            for verb in ("enable", "disable", "mask"):
                if o[verb]:
                    self._run(ctx, ["systemctl", "--root=" + ctx.tree, verb] + o[verb])
        elif kind == "finalize":
            for p in ("var/cache/apt/pkgcache.bin", "var/cache/apt/srcpkgcache.bin"):
                path = os.path.join(ctx.tree, p)
                if os.path.exists(path):
                    os.remove(path)
            shutil.rmtree(os.path.join(ctx.tree, "var/cache/apt/archives/partial"), ignore_errors=True)
            mid = os.path.join(ctx.tree, "etc/machine-id")
            if o["resetMachineId"] and os.path.exists(mid):
                open(mid, "w").close()
        else:
            raise PluginError("the debootstrap plugin does not run %s steps" % kind, CODE + "4")

    def _write(self, ctx, path, text, mode=0o644):
        full = os.path.join(ctx.tree, path.lstrip("/"))
        os.makedirs(os.path.dirname(full), exist_ok=True)
        if os.path.lexists(full):
            os.remove(full)
        with open(full, "w", encoding="utf8") as f:
            f.write(text)
        os.chmod(full, mode)

    def _configure_system(self, o, ctx):
        if o.get("hostname"):
            self._write(ctx, "etc/hostname", o["hostname"] + "\n")
        if o.get("locale"):
            self._write(ctx, "etc/default/locale", "LANG=%s\n" % o["locale"])
            self._write(ctx, "etc/locale.conf", "LANG=%s\n" % o["locale"])
            if not re.match(r"^(C|POSIX)(\.|$)", o["locale"]):
                charset = (o["locale"].split(".", 1) + ["ISO-8859-1"])[1].upper().replace("UTF8", "UTF-8")
                self._write(ctx, "etc/locale.gen", "%s %s\n" % (o["locale"], charset))
                self._chroot(ctx, ["locale-gen"])
        if o.get("keymap"):
            self._write(ctx, "etc/vconsole.conf", "KEYMAP=%s\n" % o["keymap"])
        if o.get("timezone"):
            link = os.path.join(ctx.tree, "etc/localtime")
            if os.path.lexists(link):
                os.remove(link)
            os.symlink("/usr/share/zoneinfo/" + o["timezone"], link)
            self._write(ctx, "etc/timezone", o["timezone"] + "\n")
        if o.get("machineId") is not None:
            self._write(ctx, "etc/machine-id", o["machineId"] + "\n", 0o444)
        if o.get("kernelCmdline"):
            self._write(ctx, "etc/kernel/cmdline", " ".join(o["kernelCmdline"]) + "\n")
        for field in ("ntpServers", "caCertificates"):
            if o.get(field):
                ctx.report(diagnostic("IMGC7006", "system.%s is not applied by this plugin" % field, pointer="/system/" + field))

    def _configure_accounts(self, o, ctx):
        root = ["--root", ctx.tree]
        with open(os.path.join(ctx.tree, "etc/group"), encoding="utf8") as f:
            groups = {l.split(":")[0] for l in f if l.strip()}
        for g in o["groups"]:
            if g["name"] not in groups:
                self._run(ctx, ["groupadd"] + root + (["-g", str(g["gid"])] if "gid" in g else []) +
                          (["-r"] if g.get("system") else []) + [g["name"]])
                groups.add(g["name"])
        for u in o["users"]:
            for name in u["groups"]:
                if name not in groups:
                    self._run(ctx, ["groupadd"] + root + ["-r", name])
                    groups.add(name)
            args = ["useradd"] + root + ["-m", "-s", u.get("shell", "/bin/bash")]
            if "uid" in u:
                args += ["-u", str(u["uid"])]
            if u["groups"]:
                args += ["-G", ",".join(u["groups"])]
            if "description" in u:
                args += ["-c", u["description"]]
            self._run(ctx, args + [u["name"]])
            self._password(ctx, u["name"], u.get("password"))
            self._keys(ctx, u["name"], u.get("sshKeys", []))
        if o.get("root"):
            self._password(ctx, "root", o["root"].get("password"))
            self._keys(ctx, "root", o["root"].get("sshKeys", []))

    def _password(self, ctx, user, pw):
        if not pw:
            return
        if "hash" in pw:
            self._run(ctx, ["usermod", "--root", ctx.tree, "-p", pw["hash"], user])
        elif "plain" in pw:
            self._run(ctx, ["chpasswd", "--root", ctx.tree, "-c", "SHA512"], stdin="%s:%s\n" % (user, pw["plain"]))
        if pw.get("locked"):
            self._run(ctx, ["usermod", "--root", ctx.tree, "-L", user])

    def _keys(self, ctx, user, keys):
        if not keys:
            return
        with open(os.path.join(ctx.tree, "etc/passwd"), encoding="utf8") as f:
            entry = next(l.split(":") for l in f if l.split(":")[0] == user)
        uid, gid, home = int(entry[2]), int(entry[3]), entry[5]
        d = os.path.join(ctx.tree, home.lstrip("/"), ".ssh")
        os.makedirs(d, exist_ok=True)
        path = os.path.join(d, "authorized_keys")
        with open(path, "w", encoding="utf8") as f:
            f.write("\n".join(keys) + "\n")
        os.chmod(d, 0o700)
        os.chmod(path, 0o600)
        os.chown(d, uid, gid)
        os.chown(path, uid, gid)
