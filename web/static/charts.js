// Each chart (svg.chart) gets two download links: the SVG as drawn, and a
// PNG at twice its size, both carrying the chart's title, source line and
// date. Nothing is fetched: the files are made in the browser.
(function () {
  "use strict";
  function svgText(svg) {
    var c = svg.cloneNode(true);
    c.setAttribute("xmlns", "http://www.w3.org/2000/svg");
    var style = document.createElementNS("http://www.w3.org/2000/svg", "style");
    style.textContent = "text{font-family:'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei',sans-serif;fill:#222}" +
      ".title{font-size:13px;font-weight:bold}.label,.value,.blank,.source{font-size:11px}.source{fill:#666}" +
      ".bar{fill:#3a6ea5}.lower{fill:#9bb7d4}.blank{fill:#a00}";
    c.insertBefore(style, c.firstChild);
    var bg = document.createElementNS("http://www.w3.org/2000/svg", "rect");
    bg.setAttribute("width", "100%"); bg.setAttribute("height", "100%"); bg.setAttribute("fill", "#fff");
    c.insertBefore(bg, style.nextSibling);
    return new XMLSerializer().serializeToString(c);
  }
  function svgBlob(svg) { return new Blob([svgText(svg)], { type: "image/svg+xml" }); }
  function pngBlob(svg) {
    return new Promise(function (resolve, reject) {
      var vb = svg.viewBox.baseVal, scale = 2;
      var img = new Image();
      var url = URL.createObjectURL(svgBlob(svg));
      img.onload = function () {
        var canvas = document.createElement("canvas");
        canvas.width = vb.width * scale; canvas.height = vb.height * scale;
        var ctx = canvas.getContext("2d");
        ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, canvas.width, canvas.height);
        ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
        URL.revokeObjectURL(url);
        canvas.toBlob(function (b) { b ? resolve(b) : reject(new Error("no PNG")); }, "image/png");
      };
      img.onerror = function () { URL.revokeObjectURL(url); reject(new Error("the chart could not be drawn")); };
      img.src = url;
    });
  }
  function save(blob, name) {
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob); a.download = name;
    document.body.appendChild(a); a.click(); a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 10000);
  }
  window.nianbaoChart = { svgBlob: svgBlob, pngBlob: pngBlob };
  document.querySelectorAll("svg.chart").forEach(function (svg, i) {
    var name = (svg.getAttribute("data-name") || "chart-" + (i + 1));
    var p = document.createElement("p");
    p.className = "chartlinks";
    var s = document.createElement("a"); s.href = "#"; s.textContent = "下载 SVG"; s.className = "svgdl";
    s.onclick = function (e) { e.preventDefault(); save(svgBlob(svg), name + ".svg"); };
    var g = document.createElement("a"); g.href = "#"; g.textContent = "下载 PNG"; g.className = "pngdl";
    g.onclick = function (e) { e.preventDefault(); pngBlob(svg).then(function (b) { save(b, name + ".png"); }); };
    p.appendChild(s); p.appendChild(document.createTextNode(" · ")); p.appendChild(g);
    var fig = document.createElement("figure"); fig.className = "chartbox";
    svg.parentNode.insertBefore(fig, svg); fig.appendChild(svg); fig.appendChild(p);
  });
})();
