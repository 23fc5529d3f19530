#!/usr/bin/env bash
# mkphotos.sh REPORT.pdf OUTDIR — phone photos of a report's pages, in the
# shapes a phone takes them, each as an image-only PDF (img2pdf, A4) named
# OUTDIR/<report>-<shape>.pdf, to measure how OCR reads photos of a real
# layout: `nianbao eval --gold ../shared/corpus/gold OUTDIR/*.pdf`.
# The README's photo figures are report 002 through this script. Needs
# ImageMagick, img2pdf and poppler (pdftoppm).
#
#   photo     the top narrower, the bottom corners at the picture's corners,
#             the top third in shade (as mkscans.sh photographs fixture 108)
#   rot4      the whole sheet on a brown table, turned 4°, shade on the left
#   bnarrow   the bottom narrower, the bottom in shade
#   diag      the light falling off from the top left
#   lightbg   a light table (less contrast at the sheet's edge)
#   sidecut   the sheet running off the picture's sides
#   shadow    the phone's shadow over the bottom-left corner
#   barrel    a wide-angle lens: the sheet's edges and rules bent
#   small     the sheet 70 % of a 1200×1600 photo (about 100 dpi on it)
set -euo pipefail
src=$1
out=$2
IM=/usr/bin/convert
command -v magick >/dev/null && IM="magick"
name=$(basename "$src" .pdf)
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pdftoppm -r 200 -png "$src" "$tmp/s"
first=$(ls "$tmp"/s-*.png | head -1)
w=$($IM "$first" -format %w info:)
h=$($IM "$first" -format %h info:)

# light masks the size of a page (multiplied in)
$IM -size ${w}x${h} xc:white -fill 'rgb(200,200,200)' -draw "rectangle 0,0 $w,$((h / 3))" -blur 0x200 "$tmp/l-photo.png"
$IM -size ${w}x${h} xc:white -fill 'rgb(190,190,190)' -draw "rectangle 0,0 $((w / 2)),$h" -blur 0x250 "$tmp/l-rot4.png"
$IM -size ${w}x${h} xc:white -fill 'rgb(180,180,180)' -draw "rectangle 0,$((h * 77 / 100)) $w,$h" -blur 0x200 "$tmp/l-bnarrow.png"
$IM -size ${h}x${w} gradient:'rgb(140,140,140)-white' -rotate 90 "$tmp/l-diag.png"
$IM -size ${w}x${h} xc:white -fill 'rgb(210,210,210)' -draw "rectangle 0,0 $w,$((h * 3 / 10))" -blur 0x200 "$tmp/l-lightbg.png"
$IM -size ${w}x${h} xc:white "$tmp/l-none.png"
$IM -size ${w}x${h} xc:white -fill 'rgb(140,140,140)' -draw "polygon 0,$((h * 56 / 100)) $((w * 54 / 100)),$h 0,$h" -blur 0x12 "$tmp/l-shadow.png"

# corners as per cent of the page: top-left, top-right, bottom-right, bottom-left
corners() {
	python3 -c "
import sys
w, h = $w, $h
q = [float(v) for v in sys.argv[1:]]
src = [(0, 0), (w, 0), (w, h), (0, h)]
print(' '.join('%d,%d %d,%d' % (a, b, q[2*i] * w / 100, q[2*i+1] * h / 100) for i, (a, b) in enumerate(src)))
" "$@"
}
shape() { # shape NAME TABLE LIGHT BLUR EXTRA CORNERS...
	local n=$1 bg=$2 light=$3 blur=$4 extra=$5
	shift 5
	local q
	q=$(corners "$@")
	for f in "$tmp"/s-*.png; do
		# shellcheck disable=SC2086
		$IM "$f" -background "$bg" -virtual-pixel background -distort Perspective "$q" $extra \
			"$tmp/l-$light.png" -compose Multiply -composite -blur "0x$blur" -quality 72 "${f%.png}-$n.jpg"
	done
	img2pdf --pagesize A4 "$tmp"/s-*-"$n".jpg -o "$out/$name-$n.pdf"
	rm -f "$tmp"/s-*-"$n".jpg
}
shape photo 'rgb(90,90,90)' photo 0.6 '' 4 2 95 3 100 100 0 100
shape rot4 'rgb(70,60,50)' rot4 0.7 '' 7 2 97 8 93 98 2 93
shape bnarrow 'rgb(60,60,70)' bnarrow 0.7 '' 0 0 100 0 94 97 5 98
shape diag 'rgb(50,50,50)' diag 0.7 '' 4 3 96 2 98 98 1 97
shape lightbg 'rgb(150,145,140)' lightbg 0.7 '' 5 4 95 3 97 97 3 96
shape sidecut 'rgb(80,80,80)' none 0.7 '' -3 4 103 5 100 97 0 96
shape shadow 'rgb(60,60,60)' shadow 0.7 '' 4 2 96 3 99 98 1 97
shape barrel 'rgb(60,60,60)' bnarrow 0.7 '-distort Barrel 0.0,0.0,0.04,0.96' 5 3 94 3 98 98 2 97
# small: the picture 1200×1600, the sheet 70 % of its width
q=$(corners 17 10 86 9 94 92 7 94)
for f in "$tmp"/s-*.png; do
	$IM "$f" -background 'rgb(70,65,60)' -virtual-pixel background -distort Perspective "$q" \
		"$tmp/l-rot4.png" -compose Multiply -composite -blur 0x0.8 -resize '1200x1600!' -quality 70 "${f%.png}-small.jpg"
done
img2pdf --pagesize A4 "$tmp"/s-*-small.jpg -o "$out/$name-small.pdf"
echo "$out/$name-{photo,rot4,bnarrow,diag,lightbg,sidecut,shadow,barrel,small}.pdf"
