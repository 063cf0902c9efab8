/**
 * The shell text of imgc's `/.kconfig`: the functions KIWI documents for config.sh and
 * images.sh, written for imgc from that documentation (see docs/formats/kiwi.md#script-helpers).
 * POSIX sh, so that a script run by dash, bash or busybox can source it. The stubs for functions
 * KIWI removed or keeps internal come from HELPERS (helpers.ts) and are appended by kconfigText().
 */
export const KCONFIG_FUNCTIONS = `# /.kconfig written by imgc: imgc's own implementation of the helper functions KIWI
# documents for config.sh and images.sh (POSIX sh; bash, dash and busybox sh run it).
# imgc removes this file, and /.profile, once the script has run.

imgc_kconfig_note() {
	echo "imgc /.kconfig: $*" >&2
}

Debug() {
	if [ "\${DEBUG:-0}" = 1 ]; then echo "+++++> $*"; fi
	return 0
}

Echo() {
	imgc_prefix='----->'
	imgc_newline=1
	imgc_escapes=
	while [ $# -gt 0 ]; do
		case $1 in
		-*[!bne]* | -) break ;;
		-*)
			case $1 in *b*) imgc_prefix='      ' ;; esac
			case $1 in *n*) imgc_newline= ;; esac
			case $1 in *e*) imgc_escapes=1 ;; esac
			shift
			;;
		*) break ;;
		esac
	done
	if [ -n "$imgc_escapes" ]; then printf '%s %b' "$imgc_prefix" "$1"; else printf '%s %s' "$imgc_prefix" "$1"; fi
	if [ -n "$imgc_newline" ]; then echo; fi
	return 0
}

Rm() {
	Debug "rm $*"
	rm "$@"
}

baseSystemdServiceInstalled() {
	for imgc_dir in /usr/lib/systemd/system /lib/systemd/system /etc/systemd/system /run/systemd/system; do
		for imgc_unit in "$1.service" "$1.mount" "$1"; do
			case $imgc_unit in *.service | *.mount | *.socket | *.timer | *.target | *.path) ;; *) continue ;; esac
			if [ -f "$imgc_dir/$imgc_unit" ]; then
				echo "$imgc_dir/$imgc_unit"
				return 0
			fi
		done
	done
	return 0
}

baseSysVServiceInstalled() {
	if [ -x "/etc/init.d/$1" ]; then echo "$1"; fi
	return 0
}

baseSystemdCall() {
	imgc_service=$1
	shift
	if [ -n "$(baseSystemdServiceInstalled "$imgc_service")" ] || [ -n "$(baseSysVServiceInstalled "$imgc_service")" ]; then
		systemctl "$@" "$imgc_service"
	else
		imgc_kconfig_note "no systemd unit or SysV service named $imgc_service in the image: 'systemctl $* $imgc_service' not run (KIWI skips it the same way)"
	fi
}

baseInsertService() {
	baseSystemdCall "$1" enable
}

baseRemoveService() {
	baseSystemdCall "$1" disable
}

baseService() {
	if [ -z "$1" ]; then
		echo "baseService: no service name specified"
		return 0
	fi
	if [ -z "$2" ]; then
		echo "baseService: no target specified"
		return 0
	fi
	if [ "$2" = off ]; then baseRemoveService "$1"; else baseInsertService "$1"; fi
}

suseInsertService() {
	baseInsertService "$@"
}

suseRemoveService() {
	baseRemoveService "$@"
}

suseService() {
	baseService "$@"
}

baseSetRunlevel() {
	case $1 in
	1 | 2 | 3 | 4) imgc_target=multi-user.target ;;
	5) imgc_target=graphical.target ;;
	*) imgc_target=$1 ;;
	esac
	imgc_unitdir=/usr/lib/systemd/system
	if [ ! -e "$imgc_unitdir/$imgc_target" ] && [ -e "/lib/systemd/system/$imgc_target" ]; then
		imgc_unitdir=/lib/systemd/system
	fi
	case $1 in
	1 | 2 | 3 | 4 | 5) ;;
	*)
		if [ ! -e "$imgc_unitdir/$imgc_target" ]; then
			echo "Can't find systemd target: $imgc_target"
			return 0
		fi
		;;
	esac
	mkdir -p /etc/systemd/system
	ln -sf "$imgc_unitdir/$imgc_target" /etc/systemd/system/default.target
}

baseUpdateSysConfig() {
	if [ ! -f "$1" ]; then
		echo "warning: config file $1 not found"
		return 0
	fi
	imgc_updated=$(IMGC_VAR=$2 IMGC_VAL=$3 awk '
		index($0, ENVIRON["IMGC_VAR"] "=") == 1 { print ENVIRON["IMGC_VAR"] "=\\"" ENVIRON["IMGC_VAL"] "\\""; next }
		{ print }' "$1") || return 1
	printf '%s\\n' "$imgc_updated" >"$1"
}

suseSetupProduct() {
	imgc_product=
	if [ -f /etc/SuSE-brand ]; then
		imgc_product=$(head -n 1 /etc/SuSE-brand)
	elif [ -f /etc/os-release ]; then
		imgc_product=$(sed -n 's/^NAME=//p' /etc/os-release | head -n 1 | tr -d '"'"'")
	fi
	if [ ! -d /etc/products.d ]; then
		imgc_kconfig_note "suseSetupProduct: no /etc/products.d in the image (no SUSE product package installed); no baseproduct link written"
		return 0
	fi
	imgc_link=
	if [ -n "$imgc_product" ] && [ -f "/etc/products.d/$imgc_product.prod" ]; then
		imgc_link=$imgc_product.prod
	elif [ -n "$imgc_product" ] && [ -f "/etc/products.d/SUSE_$imgc_product.prod" ]; then
		imgc_link=SUSE_$imgc_product.prod
	else
		for imgc_file in /etc/products.d/*.prod; do
			if [ -f "$imgc_file" ]; then imgc_link=\${imgc_file##*/}; fi
		done
	fi
	if [ -z "$imgc_link" ]; then
		imgc_kconfig_note "suseSetupProduct: no .prod file in /etc/products.d; no baseproduct link written"
		return 0
	fi
	ln -sf "$imgc_link" /etc/products.d/baseproduct
}

suseImportBuildKey() {
	if ! command -v rpm >/dev/null 2>&1; then
		imgc_kconfig_note "suseImportBuildKey: no rpm in the image; no key imported"
		return 0
	fi
	imgc_keydir=/usr/lib/rpm/gnupg/keys
	imgc_tmp=
	if [ ! -d "$imgc_keydir" ]; then
		imgc_tmp=$(mktemp -d)
		imgc_keydir=$imgc_tmp
		if [ -x /usr/lib/rpm/gnupg/dumpsigs ]; then
			(cd "$imgc_tmp" && /usr/lib/rpm/gnupg/dumpsigs /usr/lib/rpm/gnupg/suse-build-key.gpg)
		fi
	fi
	imgc_back=$(pwd)
	cd "$imgc_keydir"
	for imgc_key in gpg-pubkey-*.asc; do
		[ -f "$imgc_key" ] || continue
		imgc_name=\${imgc_key%.asc}
		if rpm -q "$imgc_name" >/dev/null 2>&1; then continue; fi
		echo "Importing $imgc_name to rpm database"
		rpm --import "$imgc_key"
	done
	cd "$imgc_back"
	if [ -n "$imgc_tmp" ]; then rm -rf "$imgc_tmp"; fi
	return 0
}

baseSetupBuildDay() {
	if [ -n "\${SOURCE_DATE_EPOCH:-}" ]; then
		echo "build_day=$(LC_ALL=C date -u -d "@$SOURCE_DATE_EPOCH" +%Y%m%d)" >/build_day
	else
		echo "build_day=$(LC_ALL=C date -u +%Y%m%d)" >/build_day
	fi
}

baseStripAndKeep() {
	while read -r imgc_path; do
		imgc_base=\${imgc_path##*/}
		imgc_keep=
		for imgc_pattern in $*; do
			if printf '%s\\n' "$imgc_base" | grep -q -- "$imgc_pattern"; then
				imgc_keep=1
				break
			fi
		done
		if [ -z "$imgc_keep" ]; then Rm -rf "$imgc_path"; fi
	done
	return 0
}

baseStripLocales() {
	if [ -d /usr/lib/locale ]; then
		find /usr/lib/locale -mindepth 1 -maxdepth 1 -type d | baseStripAndKeep "$*"
	fi
	return 0
}

baseStripTranslations() {
	if [ -d /usr/share/locale ]; then
		find /usr/share/locale -name '*.mo' | grep -v -- "$*" | while read -r imgc_path; do rm -f "$imgc_path"; done
	fi
	return 0
}

baseStripUnusedLibs() {
	imgc_kconfig_note "baseStripUnusedLibs is not implemented by imgc: no library was removed"
	return 0
}

baseVagrantSetup() {
	imgc_kconfig_note "baseVagrantSetup: imgc does not insert Vagrant's insecure key; add it to /home/vagrant/.ssh/authorized_keys in the overlay tree"
	mkdir -p /home/vagrant/.ssh
	chmod 0700 /home/vagrant/.ssh
	if [ -d /etc/ssh/sshd_config.d ]; then
		printf 'UseDNS no\\nGSSAPIAuthentication no\\n' >/etc/ssh/sshd_config.d/00-vagrant.conf
	elif [ -f /etc/ssh/sshd_config ]; then
		imgc_sshd=$(cat /etc/ssh/sshd_config)
		printf 'UseDNS no\\nGSSAPIAuthentication no\\n%s\\n' "$imgc_sshd" >/etc/ssh/sshd_config
	fi
	if [ -d /etc/sudoers.d ]; then
		echo 'vagrant ALL=(ALL) NOPASSWD: ALL' >/etc/sudoers.d/vagrant
		chmod 0440 /etc/sudoers.d/vagrant
	else
		echo 'vagrant ALL=(ALL) NOPASSWD: ALL' >>/etc/sudoers
	fi
	mkdir -p /vagrant
	chown -R vagrant:vagrant /home/vagrant /vagrant
	baseInsertService sshd
}

imgc_kconfig_removed() {
	imgc_kconfig_note "$1() was removed from KIWI ($2); KIWI aborts the script here, and so does imgc: delete the call"
	exit 1
}

imgc_kconfig_internal() {
	imgc_kconfig_note "$1 is a KIWI internal that imgc does not implement; nothing was done"
	return 0
}
`;
