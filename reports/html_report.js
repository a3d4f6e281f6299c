// The HTML report's script, written inline into every report (reports/html_page.cpp). It draws
// the charts (Chart.js, inlined before it) and the lock-ownership timelines (SVG) from the data
// block #ipch-data. Text from scenarios and agents only ever goes into textContent or Chart.js's
// canvas, never into markup, so it stays inert.
(function () {
  'use strict';
  const data = JSON.parse(document.getElementById('ipch-data').textContent);
  const colors = ['#4a7fd0', '#e0802a', '#3a9a4a', '#c03a3a', '#8a5ac0', '#7a5a3a', '#d060a0',
                  '#606060', '#a0a020', '#20a0b0'];
  const color = (i) => colors[i % colors.length];

  // Marks a canvas with how many of its pixels the chart painted, so that a test (headless
  // Chromium's --dump-dom) can tell a drawn chart from an empty one.
  function countDrawn(canvas) {
    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) painted++;
    canvas.dataset.drawnPixels = String(painted);
  }

  function chart(id, config) {
    const canvas = document.getElementById(id);
    if (!canvas || typeof Chart === 'undefined') return;
    config.options = Object.assign({animation: false, responsive: true,
                                    maintainAspectRatio: false}, config.options);
    const made = new Chart(canvas, config);
    canvas.dataset.datasets = String(made.data.datasets.length);
    countDrawn(canvas);
  }

  chart('latency-chart', {
    type: 'line',
    data: {
      datasets: data.latency.map((series, i) => ({
        label: series.label,
        data: series.points.map((p) => ({x: p[0] === 100 ? 'max' : 'p' + p[0], y: p[1]})),
        borderColor: color(i), backgroundColor: color(i),
      })),
      labels: ['p50', 'p75', 'p90', 'p95', 'p99', 'p99.9', 'max'],
    },
    options: {scales: {y: {type: 'logarithmic', title: {display: true, text: 'lock wait (ns)'}}}},
  });

  chart('throughput-chart', {
    type: 'scatter',
    data: {
      datasets: data.throughput.map((series, i) => ({
        label: series.backend, showLine: true,
        data: series.points.map((p) => ({x: p[0], y: p[1]})),
        borderColor: color(i), backgroundColor: color(i),
      })),
    },
    options: {scales: {x: {title: {display: true, text: 'agents'}, ticks: {precision: 0}},
                       y: {title: {display: true, text: 'critical sections / s'},
                           beginAtZero: true}}},
  });

  const svgNs = 'http://www.w3.org/2000/svg';
  function svg(name, attributes, parent) {
    const element = document.createElementNS(svgNs, name);
    for (const key in attributes) element.setAttribute(key, attributes[key]);
    if (parent) parent.appendChild(element);
    return element;
  }

  // One lane per agent: its waits and holds each one <path> of rectangles (tens of thousands of
  // sections stay a few elements), a violation's sections and the instants each an element with
  // a <title> (hover for the evidence).
  function drawTimeline(holder, timeline) {
    const width = 1000, labelWidth = 130, laneHeight = 16, gap = 6;
    const plot = width - labelWidth - 10;
    const end = Math.max(timeline.end, 1);
    const x = (t) => labelWidth + (t / end) * plot;
    const height = timeline.lanes.length * (laneHeight + gap) + gap;
    const root = svg('svg', {viewBox: `0 0 ${width} ${height}`, role: 'img'}, holder);
    const lanes = timeline.lanes.map((name, i) => {
      const y = gap + i * (laneHeight + gap);
      const lane = svg('g', {class: 'lane', 'data-lane': i}, root);
      const label = svg('text', {class: 'label', x: 4, y: y + laneHeight - 4}, lane);
      label.textContent = name;
      return {y: y, lane: lane, wait: [], hold: []};
    });
    const rect = (from, to, y) => {
      const w = Math.max(x(to) - x(from), 0.4).toFixed(2);
      return `M${x(from).toFixed(2)} ${y}h${w}v${laneHeight}h-${w}z`;
    };
    for (const [lane, requested, acquired, released, stamp, flags] of timeline.spans) {
      const at = lanes[lane];
      if (acquired > requested) at.wait.push(rect(requested, acquired, at.y + 4));
      if (flags & 1) {
        const r = svg('rect', {class: 'violation', x: x(acquired), y: at.y,
                               width: Math.max(x(released) - x(acquired), 2),
                               height: laneHeight}, at.lane);
        svg('title', {}, r).textContent = `stamp ${stamp}: in a violation's evidence`;
      } else {
        at.hold.push(rect(acquired, released, at.y));
      }
    }
    for (const at of lanes) {
      if (at.wait.length) svg('path', {class: 'wait', d: at.wait.join('')}, at.lane);
      if (at.hold.length) svg('path', {class: 'hold', d: at.hold.join('')}, at.lane);
    }
    for (const [lane, time, kind, stamp, what] of timeline.marks) {
      const at = lanes[lane];
      const line = svg('line', {class: 'mark-' + kind, x1: x(time), x2: x(time), y1: at.y - 2,
                                y2: at.y + laneHeight + 2}, at.lane);
      svg('title', {}, line).textContent = (stamp ? `stamp ${stamp}: ` : '') + what;
    }
    holder.dataset.lanes = String(timeline.lanes.length);
  }

  for (const holder of document.querySelectorAll('.timeline[data-timeline]')) {
    const timeline = data.timelines[Number(holder.dataset.timeline)];
    if (timeline) drawTimeline(holder, timeline);
  }
  // How long the page took to load and draw, for bench/html_report.sh.
  document.body.dataset.renderMs = performance.now().toFixed(0);
})();
