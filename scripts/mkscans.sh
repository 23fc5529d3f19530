#!/usr/bin/env bash
# Writes fixtures/scans/: image-born versions of a fixture report, as
# office scanners, portals and phones make them (extract/scan's golden
# tests). Needs poppler-utils, ImageMagick and img2pdf (Debian packages).
# The source is fixtures/108-t19-blanks-2020.pdf (LibreOffice, 3 pages,
# 2019 template; gold fixtures/gold/108.json). Corpus PDFs are not copied
# into the project: the tests make their variants at run time.
#   108-t19-blanks-2020-scan-300dpi.pdf        300 dpi gray pages, Flate (PNG) images: a clean scan
#   108-t19-blanks-2020-scan-200dpi-skew.pdf   200 dpi colour JPEG (quality 70), each page turned 1.2° (alternately ±)
#   108-t19-blanks-2020-scan-150dpi-seal.pdf   150 dpi JPEG, a red seal stamped over Table 3, speckle noise
#   108-t19-blanks-2020-scan-g4.pdf            300 dpi black and white, CCITT Group 4 (what office scanners file)
#   108-t19-blanks-2020-scan-photo.pdf         phone photos: 200 dpi, keystone perspective, shading, blur, JPEG
#   108-t19-blanks-2020-scan-page2.png         page 2 alone (Table 3) as an image attachment, 200 dpi
#   108-t19-blanks-2020-scan-mixed.pdf         the title as text, the pages as 300 dpi images (Chromium):
#                                              a text layer without tables
#   108-article/index.html, p1-3.jpg, logo.png  an article page whose body is the pages as 200 dpi
#                                              JPEGs (quality 80), with the portal's logo: an image-only page
#   108-article/links.html                     the same pages attached as links (附件), not shown
set -euo pipefail
cd "$(dirname "$0")/.."
# Debian's ImageMagick, not a stand-in earlier on the PATH
IM=/usr/bin/convert
command -v magick >/dev/null && IM="magick"
src=fixtures/108-t19-blanks-2020.pdf
out=fixtures/scans
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# clean 300 dpi gray
pdftoppm -r 300 -gray -png "$src" "$tmp/c"
img2pdf --pagesize A4 "$tmp"/c-*.png -o "$out/108-t19-blanks-2020-scan-300dpi.pdf"

# 200 dpi colour JPEG, skewed
pdftoppm -r 200 -png "$src" "$tmp/s"
sign=1
for f in "$tmp"/s-*.png; do
	$IM "$f" -background white -rotate "$(echo "1.2 * $sign" | bc)" -quality 70 "${f%.png}.jpg"
	sign=$((-sign))
done
img2pdf --pagesize A4 "$tmp"/s-*.jpg -o "$out/108-t19-blanks-2020-scan-200dpi-skew.pdf"

# 150 dpi, a red seal over Table 3 (page 2) and speckle
pdftoppm -r 150 -png "$src" "$tmp/r"
for f in "$tmp"/r-*.png; do
	args=()
	if [[ "$f" == *-2.png ]]; then
		# the seal: a ring, a star and a ring of text strokes, red, half
		# transparent ink, stamped over the table's figures
		args=(-fill none -stroke 'rgba(215,25,30,0.75)' -strokewidth 5 -draw "circle 760,560 760,700"
			-strokewidth 3 -draw "circle 760,560 760,680"
			-fill 'rgba(215,25,30,0.75)' -stroke none -draw "polygon 760,510 772,545 808,545 779,566 790,600 760,580 730,600 741,566 712,545 748,545"
			-stroke 'rgba(215,25,30,0.7)' -strokewidth 4 -draw "line 690,620 830,620" -draw "line 700,470 820,470"
			-draw "arc 650,450 870,670 200,340")
	fi
	$IM "$f" "${args[@]}" -attenuate 0.12 +noise Impulse -quality 70 "${f%.png}.jpg"
done
img2pdf --pagesize A4 "$tmp"/r-*.jpg -o "$out/108-t19-blanks-2020-scan-150dpi-seal.pdf"

# black and white CCITT G4
pdftoppm -r 300 -mono "$src" "$tmp/g"
for f in "$tmp"/g-*.pbm; do
	$IM "$f" -compress Group4 "${f%.pbm}.tif"
done
img2pdf --pagesize A4 "$tmp"/g-*.tif -o "$out/108-t19-blanks-2020-scan-g4.pdf"

# phone photos: keystone (the top narrower), uneven light, slight blur
for f in "$tmp"/s-*.png; do
	w=$($IM "$f" -format %w info:)
	h=$($IM "$f" -format %h info:)
	$IM "$f" -background 'rgb(90,90,90)' -virtual-pixel background \
		-distort Perspective "0,0 $((w * 4 / 100)),$((h * 2 / 100))  $w,0 $((w * 95 / 100)),$((h * 3 / 100))  0,$h 0,$h  $w,$h $w,$h" \
		\( +clone -fill white -colorize 100 -fill 'rgb(200,200,200)' -draw "rectangle 0,0 $w,$((h / 3))" -blur 0x200 \) \
		-compose Multiply -composite -blur 0x0.6 -quality 75 "${f%.png}-photo.jpg"
done
img2pdf --pagesize A4 "$tmp"/s-*-photo.jpg -o "$out/108-t19-blanks-2020-scan-photo.pdf"

# one page as an image attachment
cp "$tmp/s-2.png" "$out/108-t19-blanks-2020-scan-page2.png"
# a text title over page images: the text layer holds no table
cat > "$tmp/mixed.html" <<'HTML'
<!DOCTYPE html><html><head><meta charset="utf-8"><style>@page{size:A4;margin:0}body{margin:0}img{width:210mm;display:block;page-break-after:always}h1{font-size:14pt;margin:4mm}</style></head><body>
<h1>德清县人民政府办公室2020年政府信息公开工作年度报告</h1>
<img src="c-1.png"><img src="c-2.png"><img src="c-3.png"></body></html>
HTML
chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer --print-to-pdf="$PWD/$out/108-t19-blanks-2020-scan-mixed.pdf" "$tmp/mixed.html"

# an image-only article page: the pages as JPEGs beside it, and a logo
art="$out/108-article"
mkdir -p "$art"
for i in 1 2 3; do
	$IM "$tmp/s-$i.png" -quality 80 "$art/p$i.jpg"
done
$IM -size 120x40 xc:'rgb(30,80,160)' -fill white -draw "rectangle 10,10 110,30" "$art/logo.png"
cat > "$art/index.html" <<'HTML'
<!DOCTYPE html><html><head><meta charset="utf-8"><title>德清县人民政府办公室2020年政府信息公开工作年度报告</title>
<meta name="ArticleTitle" content="德清县人民政府办公室2020年政府信息公开工作年度报告"><meta name="PubDate" content="2021-01-20"></head>
<body><div class="header"><img src="logo.png" alt="德清县人民政府"></div>
<div class="article"><h1>德清县人民政府办公室2020年政府信息公开工作年度报告</h1><p>发布日期：2021-01-20</p>
<p><img src="p1.jpg"></p><p><img src="p2.jpg"></p><p><img src="p3.jpg"></p></div></body></html>
HTML
# the same pages attached as links (附件), not shown
cat > "$art/links.html" <<'HTML'
<!DOCTYPE html><html><head><meta charset="utf-8"><title>德清县人民政府办公室2020年政府信息公开工作年度报告</title>
<meta name="ArticleTitle" content="德清县人民政府办公室2020年政府信息公开工作年度报告"><meta name="PubDate" content="2021-01-20"></head>
<body><div class="header"><img src="logo.png" alt="德清县人民政府"></div>
<div class="article"><h1>德清县人民政府办公室2020年政府信息公开工作年度报告</h1><p>发布日期：2021-01-20</p>
<p>附件：</p><p><a href="p1.jpg">第1页.jpg</a></p><p><a href="p2.jpg">第2页.jpg</a></p><p><a href="p3.jpg">第3页.jpg</a></p></div></body></html>
HTML

ls -la "$out" "$art"
