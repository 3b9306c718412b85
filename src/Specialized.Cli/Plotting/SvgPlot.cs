using System.Globalization;
using System.Text;

namespace Specialized.Cli.Plotting;

/// <summary>Axis scale.</summary>
public enum AxisScale
{
    /// <summary>Linear axis with 1-2-5 ticks.</summary>
    Linear,
    /// <summary>Base-10 logarithmic axis with ticks at decades.</summary>
    Log,
}

/// <summary>One plotted series of a <see cref="SvgPanel"/>.</summary>
/// <param name="Label">Legend text (null: not in the legend).</param>
/// <param name="X">x values.</param>
/// <param name="Y">y values (same length).</param>
/// <param name="Color">CSS colour.</param>
/// <param name="Lines">Join the points with a polyline.</param>
/// <param name="Markers">Draw a circle at every point.</param>
/// <param name="MarkerRadius">Circle radius in pixels.</param>
/// <param name="Opacity">Fill opacity of the markers.</param>
/// <param name="Dashed">Dashed line.</param>
public sealed record SvgSeries(string? Label, double[] X, double[] Y, string Color, bool Lines = false, bool Markers = true,
    double MarkerRadius = 2.5, double Opacity = 0.7, bool Dashed = false);

/// <summary>A bar (histogram bin) from <paramref name="Left"/> to <paramref name="Right"/> with height <paramref name="Height"/>.</summary>
/// <param name="Left">Left edge.</param>
/// <param name="Right">Right edge.</param>
/// <param name="Height">Height.</param>
public readonly record struct SvgBar(double Left, double Right, double Height);

/// <summary>
/// One set of axes: scatter/line series, histogram bars, an optional y = x diagonal, title, axis labels
/// and a legend. Data ranges are taken from the data (with 5 % padding on linear axes) unless fixed.
/// </summary>
public sealed class SvgPanel
{
    /// <summary>Panel title.</summary>
    public string Title { get; set; } = "";
    /// <summary>x-axis label.</summary>
    public string XLabel { get; set; } = "";
    /// <summary>y-axis label.</summary>
    public string YLabel { get; set; } = "";
    /// <summary>x scale.</summary>
    public AxisScale XScale { get; set; } = AxisScale.Linear;
    /// <summary>y scale.</summary>
    public AxisScale YScale { get; set; } = AxisScale.Linear;
    /// <summary>Draw y = x over the plotted range (parity plots; x and y then share one range).</summary>
    public bool Diagonal { get; set; }
    /// <summary>Series in drawing order.</summary>
    public List<SvgSeries> Series { get; } = [];
    /// <summary>Histogram bars.</summary>
    public List<SvgBar> Bars { get; } = [];
    /// <summary>Colour of the bars.</summary>
    public string BarColor { get; set; } = "#4c72b0";
    /// <summary>Free text lines drawn in the top-left corner of the plot area (e.g. RMSE).</summary>
    public List<string> Notes { get; } = [];
}

/// <summary>
/// A small dependency-free SVG writer for the CLI's plots: a grid of <see cref="SvgPanel"/>s, each
/// <see cref="PanelWidth"/> × <see cref="PanelHeight"/> pixels. Output is deterministic (invariant
/// culture, fixed number formats) and viewable in any browser or with rsvg-convert.
/// </summary>
public sealed class SvgFigure
{
    private const double MarginLeft = 70, MarginRight = 20, MarginTop = 36, MarginBottom = 52;

    /// <summary>Creates a figure of <paramref name="columns"/> panels per row.</summary>
    public SvgFigure(int columns = 1, string title = "")
    {
        Columns = Math.Max(1, columns);
        Title = title;
    }

    /// <summary>Panels per row.</summary>
    public int Columns { get; }
    /// <summary>Figure title (drawn above the panels when non-empty).</summary>
    public string Title { get; }
    /// <summary>Width of one panel in pixels.</summary>
    public double PanelWidth { get; set; } = 440;
    /// <summary>Height of one panel in pixels.</summary>
    public double PanelHeight { get; set; } = 360;
    /// <summary>The panels, filled row by row.</summary>
    public List<SvgPanel> Panels { get; } = [];

    /// <summary>Adds and returns a new panel.</summary>
    public SvgPanel AddPanel()
    {
        var p = new SvgPanel();
        Panels.Add(p);
        return p;
    }

    /// <summary>Writes the figure to <paramref name="path"/> atomically (temporary file + rename).</summary>
    public void Save(string path)
    {
        string full = Path.GetFullPath(path);
        string temp = full + ".tmp";
        File.WriteAllText(temp, Render(), new UTF8Encoding(false));
        File.Move(temp, full, overwrite: true);
    }

    /// <summary>The SVG document.</summary>
    public string Render()
    {
        int rows = Math.Max(1, (Panels.Count + Columns - 1) / Columns);
        double titleHeight = Title.Length > 0 ? 30 : 0;
        double width = Columns * PanelWidth, height = rows * PanelHeight + titleHeight;
        var sb = new StringBuilder();
        sb.Append(F($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:0}\" height=\"{height:0}\" viewBox=\"0 0 {width:0} {height:0}\" font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"12\">\n"));
        sb.Append(F($"<rect x=\"0\" y=\"0\" width=\"{width:0}\" height=\"{height:0}\" fill=\"white\"/>\n"));
        if (Title.Length > 0)
            sb.Append(F($"<text x=\"{width / 2:0.#}\" y=\"21\" text-anchor=\"middle\" font-size=\"16\" font-weight=\"bold\">{Escape(Title)}</text>\n"));
        for (int k = 0; k < Panels.Count; k++)
        {
            double ox = (k % Columns) * PanelWidth, oy = titleHeight + (k / Columns) * PanelHeight;
            RenderPanel(sb, Panels[k], ox, oy);
        }
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    private void RenderPanel(StringBuilder sb, SvgPanel panel, double ox, double oy)
    {
        var (xmin, xmax) = Range(panel, x: true);
        var (ymin, ymax) = Range(panel, x: false);
        if (panel.Diagonal)
        {
            double lo = Math.Min(xmin, ymin), hi = Math.Max(xmax, ymax);
            xmin = ymin = lo;
            xmax = ymax = hi;
        }
        double top = oy + MarginTop, bottom = oy + PanelHeight - MarginBottom;
        var yAxis = new Axis(panel.YScale, ymin, ymax, bottom, top);
        // Room for the widest y tick label (≈ 7 px per character at 12 px) plus the rotated axis label.
        int widest = yAxis.Ticks().Select(t => yAxis.Label(t).Length).DefaultIfEmpty(1).Max();
        double left = ox + Math.Max(MarginLeft, 34 + 7 * widest), right = ox + PanelWidth - MarginRight;
        var xAxis = new Axis(panel.XScale, xmin, xmax, left, right);
        // Fewer x ticks when their labels would overlap.
        while (xAxis.TargetTicks > 2)
        {
            var ticks = xAxis.Ticks().ToList();
            double need = ticks.Sum(t => 7.0 * xAxis.Label(t).Length + 12);
            if (need <= right - left) break;
            xAxis.TargetTicks--;
        }

        sb.Append(F($"<g>\n<rect x=\"{left:0.##}\" y=\"{top:0.##}\" width=\"{right - left:0.##}\" height=\"{bottom - top:0.##}\" fill=\"none\" stroke=\"#333\" stroke-width=\"1\"/>\n"));
        foreach (var t in xAxis.Ticks())
        {
            double px = xAxis.Map(t);
            sb.Append(F($"<line x1=\"{px:0.##}\" y1=\"{top:0.##}\" x2=\"{px:0.##}\" y2=\"{bottom:0.##}\" stroke=\"#e5e5e5\" stroke-width=\"1\"/>\n"));
            sb.Append(F($"<line x1=\"{px:0.##}\" y1=\"{bottom:0.##}\" x2=\"{px:0.##}\" y2=\"{bottom + 5:0.##}\" stroke=\"#333\"/>\n"));
            sb.Append(F($"<text x=\"{px:0.##}\" y=\"{bottom + 18:0.##}\" text-anchor=\"middle\">{Escape(xAxis.Label(t))}</text>\n"));
        }
        foreach (var t in yAxis.Ticks())
        {
            double py = yAxis.Map(t);
            sb.Append(F($"<line x1=\"{left:0.##}\" y1=\"{py:0.##}\" x2=\"{right:0.##}\" y2=\"{py:0.##}\" stroke=\"#e5e5e5\" stroke-width=\"1\"/>\n"));
            sb.Append(F($"<line x1=\"{left - 5:0.##}\" y1=\"{py:0.##}\" x2=\"{left:0.##}\" y2=\"{py:0.##}\" stroke=\"#333\"/>\n"));
            sb.Append(F($"<text x=\"{left - 8:0.##}\" y=\"{py + 4:0.##}\" text-anchor=\"end\">{Escape(yAxis.Label(t))}</text>\n"));
        }
        sb.Append(F($"<text x=\"{(left + right) / 2:0.##}\" y=\"{bottom + 40:0.##}\" text-anchor=\"middle\">{Escape(panel.XLabel)}</text>\n"));
        sb.Append(F($"<text x=\"{ox + 16:0.##}\" y=\"{(top + bottom) / 2:0.##}\" text-anchor=\"middle\" transform=\"rotate(-90 {ox + 16:0.##} {(top + bottom) / 2:0.##})\">{Escape(panel.YLabel)}</text>\n"));
        sb.Append(F($"<text x=\"{(left + right) / 2:0.##}\" y=\"{oy + 22:0.##}\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\">{Escape(panel.Title)}</text>\n"));

        // Plot area clip so that nothing spills over the axes.
        string clip = F($"clip{(int)ox}_{(int)oy}");
        sb.Append(F($"<clipPath id=\"{clip}\"><rect x=\"{left:0.##}\" y=\"{top:0.##}\" width=\"{right - left:0.##}\" height=\"{bottom - top:0.##}\"/></clipPath>\n"));
        sb.Append(F($"<g clip-path=\"url(#{clip})\">\n"));
        foreach (var bar in panel.Bars)
        {
            double x0 = xAxis.Map(bar.Left), x1 = xAxis.Map(bar.Right), y0 = yAxis.Map(Math.Max(bar.Height, yAxis.Min)), yb = yAxis.Map(yAxis.Min);
            sb.Append(F($"<rect x=\"{x0:0.##}\" y=\"{y0:0.##}\" width=\"{Math.Max(x1 - x0, 0.5):0.##}\" height=\"{Math.Max(yb - y0, 0):0.##}\" fill=\"{panel.BarColor}\" fill-opacity=\"0.8\" stroke=\"white\" stroke-width=\"0.5\"/>\n"));
        }
        if (panel.Diagonal)
            sb.Append(F($"<line x1=\"{xAxis.Map(xmin):0.##}\" y1=\"{yAxis.Map(ymin):0.##}\" x2=\"{xAxis.Map(xmax):0.##}\" y2=\"{yAxis.Map(ymax):0.##}\" stroke=\"#888\" stroke-dasharray=\"5,4\"/>\n"));
        foreach (var s in panel.Series)
        {
            var points = Enumerable.Range(0, s.X.Length).Where(k => xAxis.Valid(s.X[k]) && yAxis.Valid(s.Y[k])).ToArray();
            if (s.Lines && points.Length > 1)
            {
                var path = string.Join(" ", points.Select(k => F($"{xAxis.Map(s.X[k]):0.##},{yAxis.Map(s.Y[k]):0.##}")));
                sb.Append(F($"<polyline points=\"{path}\" fill=\"none\" stroke=\"{s.Color}\" stroke-width=\"2\"{(s.Dashed ? " stroke-dasharray=\"6,4\"" : "")}/>\n"));
            }
            if (s.Markers)
                foreach (int k in points)
                    sb.Append(F($"<circle cx=\"{xAxis.Map(s.X[k]):0.##}\" cy=\"{yAxis.Map(s.Y[k]):0.##}\" r=\"{s.MarkerRadius:0.##}\" fill=\"{s.Color}\" fill-opacity=\"{s.Opacity:0.##}\"/>\n"));
        }
        sb.Append("</g>\n");

        double noteY = top + 16;
        foreach (var note in panel.Notes)
        {
            sb.Append(F($"<text x=\"{left + 8:0.##}\" y=\"{noteY:0.##}\" font-size=\"11\">{Escape(note)}</text>\n"));
            noteY += 15;
        }
        var legend = panel.Series.Where(s => s.Label is not null).ToList();
        double ly = top + 14;
        foreach (var s in legend)
        {
            double lx = right - 150;
            sb.Append(F($"<line x1=\"{lx:0.##}\" y1=\"{ly - 4:0.##}\" x2=\"{lx + 18:0.##}\" y2=\"{ly - 4:0.##}\" stroke=\"{s.Color}\" stroke-width=\"2\"{(s.Dashed ? " stroke-dasharray=\"6,4\"" : "")}/>\n"));
            sb.Append(F($"<circle cx=\"{lx + 9:0.##}\" cy=\"{ly - 4:0.##}\" r=\"3\" fill=\"{s.Color}\"/>\n"));
            sb.Append(F($"<text x=\"{lx + 24:0.##}\" y=\"{ly:0.##}\" font-size=\"11\">{Escape(s.Label!)}</text>\n"));
            ly += 15;
        }
        sb.Append("</g>\n");
    }

    private static (double Min, double Max) Range(SvgPanel panel, bool x)
    {
        var scale = x ? panel.XScale : panel.YScale;
        var values = new List<double>();
        foreach (var s in panel.Series) values.AddRange((x ? s.X : s.Y).Where(double.IsFinite));
        foreach (var b in panel.Bars)
        {
            if (x) values.AddRange([b.Left, b.Right]);
            else values.AddRange([0, b.Height]);
        }
        if (scale == AxisScale.Log) values.RemoveAll(v => !(v > 0));
        if (values.Count == 0) return scale == AxisScale.Log ? (1, 10) : (0, 1);
        double min = values.Min(), max = values.Max();
        if (scale == AxisScale.Log)
        {
            double lo = Math.Pow(10, Math.Floor(Math.Log10(min))), hi = Math.Pow(10, Math.Ceiling(Math.Log10(max)));
            if (hi <= lo) hi = lo * 10;
            return (lo, hi);
        }
        if (max == min)
        {
            double pad = Math.Abs(max) > 0 ? 0.1 * Math.Abs(max) : 1;
            return (min - pad, max + pad);
        }
        double margin = 0.05 * (max - min);
        bool bars = panel.Bars.Count > 0 && !x;
        return (bars ? 0 : min - margin, max + margin);
    }

    /// <summary>Maps data values to pixels and produces ticks.</summary>
    private sealed class Axis(AxisScale scale, double min, double max, double from, double to)
    {
        public double Min => min;

        /// <summary>Approximate number of linear ticks wanted.</summary>
        public int TargetTicks { get; set; } = 6;

        public bool Valid(double v) => double.IsFinite(v) && (scale == AxisScale.Linear || v > 0);

        public double Map(double v)
        {
            double t = scale == AxisScale.Log
                ? (Math.Log10(v) - Math.Log10(min)) / (Math.Log10(max) - Math.Log10(min))
                : (v - min) / (max - min);
            return from + t * (to - from);
        }

        public IEnumerable<double> Ticks()
        {
            if (scale == AxisScale.Log)
            {
                for (int e = (int)Math.Round(Math.Log10(min)); e <= (int)Math.Round(Math.Log10(max)); e++) yield return Math.Pow(10, e);
                yield break;
            }
            double step = NiceStep((max - min) / TargetTicks);
            for (double t = Math.Ceiling(min / step) * step; t <= max + 1e-9 * step; t += step)
                yield return Math.Abs(t) < 1e-12 * step ? 0 : t;
        }

        public string Label(double v)
        {
            if (scale == AxisScale.Log)
            {
                int e = (int)Math.Round(Math.Log10(v));
                return e is >= -3 and <= 3 ? v.ToString("0.###", CultureInfo.InvariantCulture) : "1e" + e.ToString(CultureInfo.InvariantCulture);
            }
            double a = Math.Abs(v);
            if (a != 0 && (a < 1e-3 || a >= 1e5)) return v.ToString("0.##E+0", CultureInfo.InvariantCulture);
            return v.ToString("0.####", CultureInfo.InvariantCulture);
        }

        private static double NiceStep(double raw)
        {
            if (!(raw > 0)) return 1;
            double mag = Math.Pow(10, Math.Floor(Math.Log10(raw)));
            double f = raw / mag;
            return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * mag;
        }
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static string Escape(string s) => s.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
