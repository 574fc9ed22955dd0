namespace GeoMine.Geo.Import;

/// <summary>
/// The reference layers, their field mappings and SQL. Source aliases cover the names Chinese GIS
/// data uses (Chinese field names, pinyin initials such as MC 名称 / XKZH 许可证号) and the canonical
/// names GeoMine exports, so that export → import is a round trip. Matching ignores case.
/// </summary>
public static class LayerCatalog
{
    private static readonly string TownBySpatial = TownAt("ST_PointOnSurface(@geom::geometry)");

    /// <summary>SQL for the town (jurisdiction id) whose boundary holds the point <paramref name="pointSql"/> (EPSG:4490), the
    /// lowest id when boundaries touch there; NULL outside every town. The one rule for "the town of a place".</summary>
    public static string TownAt(string pointSql) =>
        $"(SELECT t.id FROM jurisdiction t WHERE t.level = 'town' AND ST_Intersects(t.geom, {pointSql}) ORDER BY t.id LIMIT 1)";

    private static readonly FieldSpec Code = Text("code", false, "编码", "代码", "编号", "BM", "DM", "BH", "CODE", "ID");
    private static readonly FieldSpec Name = Text("name", true, "名称", "MC", "NAME");
    private static readonly FieldSpec Town = Text("town", false, "所属镇街", "镇街", "乡镇", "SSZJ", "XZ", "TOWN");

    /// <summary>All layers, in the order a full data set is imported.</summary>
    public static IReadOnlyList<LayerDefinition> All { get; } =
    [
        new(LayerKind.Towns, "towns", "镇街 towns",
            [Code with { Required = true, Aliases = ["代码", "行政区代码", "XZQDM", "DM", "CODE"] },
             Name with { Aliases = ["名称", "行政区名称", "XZQMC", "MC", "NAME"] },
             Text("parent", false, "上级代码", "SJDM", "PARENT")],
            TargetGeometry.MultiPolygon, LayerReference.None,
            """
            INSERT INTO jurisdiction (code, name, level, parent_id, geom)
            VALUES (@code, @name, 'town', (SELECT id FROM jurisdiction WHERE code = @parent), @geom::geometry)
            ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, level = EXCLUDED.level,
                parent_id = EXCLUDED.parent_id, geom = EXCLUDED.geom, updated_at = now()
            """,
            """
            SELECT j.code, j.name, p.code AS parent, j.geom FROM jurisdiction j
            LEFT JOIN jurisdiction p ON p.id = j.parent_id WHERE j.level = 'town' ORDER BY j.code
            """)
        {
            TownOfKey = "(SELECT j.id FROM jurisdiction j WHERE j.code = {key} AND j.level = 'town')",
            Map = new(10, "镇街", "Towns"),
            Object = new("town", "jurisdiction", "code", "{id}"),
            SearchSql = "SELECT j.code AS key, j.name, j.geom, j.id AS town_id FROM jurisdiction j WHERE j.level = 'town' AND (j.code ILIKE @like OR j.name ILIKE @like)",
            RowOfKey = "jurisdiction WHERE code = @key",
        },

        new(LayerKind.Villages, "villages", "村社区 villages",
            [Code with { Required = true, Aliases = ["代码", "行政区代码", "XZQDM", "DM", "CODE"] },
             Name with { Aliases = ["名称", "村名", "XZQMC", "MC", "NAME"] },
             Text("parent", false, "上级代码", "所属镇街", "SJDM", "PARENT")],
            TargetGeometry.MultiPolygon, LayerReference.ParentTown,
            $"""
            INSERT INTO jurisdiction (code, name, level, parent_id, geom)
            VALUES (@code, @name, 'village', COALESCE(@ref_id, {TownBySpatial}), @geom::geometry)
            ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, level = EXCLUDED.level,
                parent_id = EXCLUDED.parent_id, geom = EXCLUDED.geom, updated_at = now()
            """,
            """
            SELECT j.code, j.name, p.code AS parent, j.geom FROM jurisdiction j
            LEFT JOIN jurisdiction p ON p.id = j.parent_id WHERE j.level = 'village' ORDER BY j.code
            """)
        {
            TownOfKey = "(SELECT j.parent_id FROM jurisdiction j WHERE j.code = {key} AND j.level = 'village')",
            Map = new(20, "村社区", "Villages", VisibleAtStart: false),
            SearchSql = "SELECT j.code AS key, j.name, j.geom, j.parent_id AS town_id FROM jurisdiction j WHERE j.level = 'village' AND (j.code ILIKE @like OR j.name ILIKE @like)",
            RowOfKey = "jurisdiction WHERE code = @key",
        },

        new(LayerKind.ClosedMines, "closed-mines", "关闭煤矿 closed mines",
            [Code with { Aliases = ["矿山编码", "编码", "KSBM", "BM", "CODE"] },
             Name with { Aliases = ["矿山名称", "矿名", "名称", "KSMC", "MC", "NAME"] },
             Town,
             Date("closed_on", "关闭日期", "关闭时间", "GBRQ", "CLOSE_DATE"),
             Codes("status", "关闭状态", ["状态", "GBZT", "ZT", "STATUS"], new()
             {
                 ["closing"] = ["关闭中", "正在关闭"],
                 ["closed"] = ["已关闭", "关闭"],
                 ["sealed"] = ["已封闭", "封闭"],
                 ["stopped"] = ["停产", "停工", "停产整顿"],
             }),
             Text("mineral", false, "矿种", "开采矿种", "KZ", "MINERAL"),
             // Seed 001 §(七) writes the classes A类 … D类; 甲乙丙丁 are not its terms and are refused.
             Codes("risk_class", "风险等级", ["风险类别", "分类类别", "FXDJ"], new()
             {
                 ["A"] = ["A类"],
                 ["B"] = ["B类"],
                 ["C"] = ["C类"],
                 ["D"] = ["D类"],
             })],
            TargetGeometry.PointOrArea, LayerReference.Town,
            $"""
            INSERT INTO closed_mine (code, name, town_id, closure_decision_date, closure_status, mineral, risk_class, geom)
            VALUES (@code, @name, COALESCE(@ref_id, {TownBySpatial}), @closed_on, COALESCE(@status, 'closed'), @mineral, @risk_class,
                    @geom::geometry)
            ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name,
                town_id = CASE WHEN 'town' = ANY(@present) OR closed_mine.town_id IS NULL THEN EXCLUDED.town_id ELSE closed_mine.town_id END,
                closure_decision_date = CASE WHEN 'closed_on' = ANY(@present) THEN EXCLUDED.closure_decision_date ELSE closed_mine.closure_decision_date END,
                closure_status = CASE WHEN 'status' = ANY(@present) THEN EXCLUDED.closure_status ELSE closed_mine.closure_status END,
                mineral = CASE WHEN 'mineral' = ANY(@present) THEN EXCLUDED.mineral ELSE closed_mine.mineral END,
                risk_class = CASE WHEN 'risk_class' = ANY(@present) THEN EXCLUDED.risk_class ELSE closed_mine.risk_class END,
                geom = EXCLUDED.geom, updated_at = now()
            """,
            """
            SELECT m.code, m.name, t.name AS town, m.closure_decision_date AS closed_on,
                   m.closure_status AS status, m.mineral, m.risk_class, m.geom
            FROM closed_mine m LEFT JOIN jurisdiction t ON t.id = m.town_id ORDER BY m.code
            """)
        {
            TownOfKey = "(SELECT m.town_id FROM closed_mine m WHERE m.code = {key})",
            Map = new(40, "关闭煤矿", "Closed mines"),
            Object = new("closed_mine", "closed_mine", "code", "(SELECT m.town_id FROM closed_mine m WHERE m.id = {id})"),
            SearchSql = "SELECT m.code AS key, m.name, m.geom, m.town_id FROM closed_mine m WHERE m.code ILIKE @like OR m.name ILIKE @like",
            RowOfKey = "closed_mine WHERE code = @key",
        },

        new(LayerKind.Shafts, "shafts", "封闭井口 sealed shafts",
            [Code with { Aliases = ["井口编号", "编号", "JKBH", "BH", "CODE"] },
             Text("mine", true, "矿山编码", "矿山名称", "所属矿山", "KSBM", "KSMC", "MINE"),
             Name with { Required = false, Aliases = ["井口名称", "名称", "JKMC", "MC", "NAME"] },
             Date("sealed_on", "封闭日期", "封闭时间", "FBRQ", "SEAL_DATE"),
             Text("seal_meth", false, "封闭方式", "FBFS", "SEAL_METHOD"),
             Codes("status", "状态", ["封闭状态", "ZT", "STATUS"], new()
             {
                 ["intact"] = ["完好", "正常", "已封闭"],
                 ["damaged"] = ["破损", "损坏"],
                 ["opened"] = ["被打开", "已打开", "启封"],
                 ["backfilled"] = ["回填", "已回填"],
             }),
             Number("elev_m", false, "井口标高", "标高", "JKBG", "ELEV") with { Range = Elevation }],
            TargetGeometry.Point, LayerReference.Mine,
            """
            INSERT INTO sealed_shaft (code, mine_id, name, geom, collar_elevation_m, seal_date, seal_method, status)
            VALUES (@code, @ref_id, @name, @geom::geometry, @elev_m, @sealed_on, @seal_meth, COALESCE(@status, 'intact'))
            ON CONFLICT (code) DO UPDATE SET mine_id = EXCLUDED.mine_id,
                name = CASE WHEN 'name' = ANY(@present) THEN EXCLUDED.name ELSE sealed_shaft.name END, geom = EXCLUDED.geom,
                collar_elevation_m = CASE WHEN 'elev_m' = ANY(@present) THEN EXCLUDED.collar_elevation_m ELSE sealed_shaft.collar_elevation_m END,
                seal_date = CASE WHEN 'sealed_on' = ANY(@present) THEN EXCLUDED.seal_date ELSE sealed_shaft.seal_date END,
                seal_method = CASE WHEN 'seal_meth' = ANY(@present) THEN EXCLUDED.seal_method ELSE sealed_shaft.seal_method END,
                status = CASE WHEN 'status' = ANY(@present) THEN EXCLUDED.status ELSE sealed_shaft.status END, updated_at = now()
            """,
            """
            SELECT s.code, m.code AS mine, s.name, s.seal_date AS sealed_on, s.seal_method AS seal_meth,
                   s.status, s.collar_elevation_m AS elev_m, s.geom
            FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id ORDER BY s.code
            """)
        {
            TownOfKey = "(SELECT m.town_id FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id WHERE s.code = {key})",
            Map = new(80, "封闭井口", "Sealed shafts"),
            Object = new("sealed_shaft", "sealed_shaft", "code", "(SELECT m.town_id FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id WHERE s.id = {id})"),
            SearchSql = "SELECT s.code AS key, coalesce(s.name, s.code) AS name, s.geom, m.town_id FROM sealed_shaft s JOIN closed_mine m ON m.id = s.mine_id WHERE s.code ILIKE @like OR s.name ILIKE @like",
            RowOfKey = "sealed_shaft WHERE code = @key",
        },

        new(LayerKind.MiningRights, "mining-rights", "采矿权 mining rights",
            [Text("licence", true, "许可证号", "采矿许可证号", "XKZH", "LICENCE", "LICENSE"),
             Text("holder", false, "采矿权人", "CKQR", "HOLDER"),
             Text("mine_name", false, "矿山名称", "KSMC", "MINE"),
             Text("mineral", false, "开采矿种", "矿种", "KCKZ", "MINERAL"),
             Date("valid_from", "有效期起", "有效期始", "YXQQ", "YXQS"),
             Date("valid_to", "有效期止", "有效期至", "YXQZ"),
             Number("upper_m", false, "开采标高上限", "标高上限", "BGSX", "KCBGSX", "UPPER") with { Range = Elevation },
             Number("lower_m", false, "开采标高下限", "标高下限", "BGXX", "KCBGXX", "LOWER") with { Range = Elevation }],
            TargetGeometry.MultiPolygon, LayerReference.None,
            $"""
            INSERT INTO mining_right (licence_no, holder, mine_name, mineral, valid_from, valid_to, upper_m, lower_m, town_id, geom)
            VALUES (@licence, @holder, @mine_name, @mineral, @valid_from, @valid_to, @upper_m, @lower_m, {TownBySpatial}, @geom::geometry)
            ON CONFLICT (licence_no) DO UPDATE SET
                holder = CASE WHEN 'holder' = ANY(@present) THEN EXCLUDED.holder ELSE mining_right.holder END,
                mine_name = CASE WHEN 'mine_name' = ANY(@present) THEN EXCLUDED.mine_name ELSE mining_right.mine_name END,
                mineral = CASE WHEN 'mineral' = ANY(@present) THEN EXCLUDED.mineral ELSE mining_right.mineral END,
                valid_from = CASE WHEN 'valid_from' = ANY(@present) THEN EXCLUDED.valid_from ELSE mining_right.valid_from END,
                valid_to = CASE WHEN 'valid_to' = ANY(@present) THEN EXCLUDED.valid_to ELSE mining_right.valid_to END,
                upper_m = CASE WHEN 'upper_m' = ANY(@present) AND EXCLUDED.upper_m IS NOT NULL THEN EXCLUDED.upper_m ELSE mining_right.upper_m END,
                lower_m = CASE WHEN 'lower_m' = ANY(@present) AND EXCLUDED.lower_m IS NOT NULL THEN EXCLUDED.lower_m ELSE mining_right.lower_m END,
                town_id = EXCLUDED.town_id, geom = EXCLUDED.geom, updated_at = now()
            """,
            """
            SELECT licence_no AS licence, holder, mine_name, mineral, valid_from, valid_to, upper_m, lower_m, geom
            FROM mining_right ORDER BY licence_no
            """)
        {
            KeyField = "licence",
            TownOfKey = "(SELECT r.town_id FROM mining_right r WHERE r.licence_no = {key})",
            Map = new(30, "采矿权范围", "Mining rights"),
            Object = new("mining_right", "mining_right", "licence_no", "(SELECT r.town_id FROM mining_right r WHERE r.id = {id})"),
            SearchSql = "SELECT r.licence_no AS key, coalesce(r.mine_name, r.holder, r.licence_no) AS name, r.geom, r.town_id FROM mining_right r WHERE r.licence_no ILIKE @like OR r.holder ILIKE @like OR r.mine_name ILIKE @like",
            RowOfKey = "mining_right WHERE licence_no = @key",
        },

        new(LayerKind.Tailings, "tailings", "尾矿库 tailings ponds",
            [Code with { Aliases = ["尾矿库编码", "编码", "BM", "CODE"] },
             Name with { Aliases = ["尾矿库名称", "名称", "MC", "NAME"] },
             Text("operator", false, "企业名称", "运营单位", "QYMC", "OPERATOR"),
             Town,
             Codes("status", "状态", ["运行状态", "ZT", "STATUS"], new()
             {
                 ["in_use"] = ["在用", "运行", "生产"],
                 ["disused"] = ["停用", "停用库"],
                 ["closed"] = ["闭库", "已闭库"],
                 ["deregistered"] = ["销号", "已销号", "闭库销号"],
                 ["no_operator"] = ["无主", "无主库"],
             }),
             Date("disused_on", "停用日期", "停用时间", "TYRQ"),
             Number("storage", false, "总库容", "库容", "ZKR", "STORAGE") with { Range = (0, 1_000_000) },
             Number("dam_h_m", false, "坝高", "总坝高", "BG", "DAM_HEIGHT") with { Range = (0, 400) },
             Number("design_m", false, "设计最终坝顶标高", "设计坝顶标高", "SJBG", "DESIGN_CREST") with { Range = Elevation },
             Number("crest_m", false, "现状坝顶标高", "坝顶标高", "XZBG", "CREST") with { Range = Elevation },
             Date("surveyed", "测量日期", "坝顶测量日期", "CLRQ", "SURVEYED_ON"),
             Codes("method", "筑坝方式", ["ZBFS", "METHOD"], new()
             {
                 ["upstream"] = ["上游式", "上游法", "上游"],
                 ["downstream"] = ["下游式", "下游法", "下游"],
                 ["centerline"] = ["中线式", "中线法", "中线"],
                 ["other"] = ["其他", "一次性筑坝", "一次建坝"],
             }),
             Date("closed_on", "闭库日期", "BKRQ", "CLOSED_ON"),
             Date("dereg_on", "销号日期", "XHRQ", "DEREG_ON"),
             Text("plan_ref", false, "一库一策", "一库一策文号", "YKYC", "PLAN_REF")],
            TargetGeometry.MultiPolygon, LayerReference.Town,
            $"""
            WITH pond AS (
                INSERT INTO tailings_pond (code, name, operator, town_id, status, disused_since, total_storage_10k_m3, dam_height_m,
                                           design_crest_m, construction_method, closed_on, deregistered_on, plan_ref, geom)
                VALUES (@code, @name, @operator, COALESCE(@ref_id, {TownBySpatial}),
                        COALESCE(@status, CASE WHEN @operator IS NULL THEN 'no_operator' ELSE 'in_use' END),
                        @disused_on, @storage, @dam_h_m, @design_m, @method, @closed_on, @dereg_on, @plan_ref, @geom::geometry)
                ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, operator = EXCLUDED.operator,
                    town_id = EXCLUDED.town_id, status = EXCLUDED.status, disused_since = EXCLUDED.disused_since,
                    total_storage_10k_m3 = EXCLUDED.total_storage_10k_m3, dam_height_m = EXCLUDED.dam_height_m,
                    design_crest_m = COALESCE(EXCLUDED.design_crest_m, tailings_pond.design_crest_m),
                    construction_method = COALESCE(EXCLUDED.construction_method, tailings_pond.construction_method),
                    closed_on = COALESCE(EXCLUDED.closed_on, tailings_pond.closed_on),
                    deregistered_on = COALESCE(EXCLUDED.deregistered_on, tailings_pond.deregistered_on),
                    plan_ref = COALESCE(EXCLUDED.plan_ref, tailings_pond.plan_ref),
                    geom = EXCLUDED.geom, updated_at = now()
                RETURNING id, (xmax = 0) AS fresh),
            survey AS (
                INSERT INTO tailings_crest_survey (pond_id, surveyed_on, crest_m, source)
                SELECT id, COALESCE(@surveyed, current_date), @crest_m, 'import' FROM pond WHERE @crest_m IS NOT NULL
                ON CONFLICT (pond_id, surveyed_on) DO UPDATE SET crest_m = EXCLUDED.crest_m, recorded_at = now())
            SELECT fresh FROM pond
            """,
            """
            SELECT p.code, p.name, p.operator, t.name AS town, p.status, p.disused_since AS disused_on,
                   p.total_storage_10k_m3 AS storage, p.dam_height_m AS dam_h_m, p.design_crest_m AS design_m,
                   s.crest_m, s.surveyed_on AS surveyed, p.construction_method AS method, p.closed_on,
                   p.deregistered_on AS dereg_on, p.plan_ref, p.geom
            FROM tailings_pond p LEFT JOIN jurisdiction t ON t.id = p.town_id
            LEFT JOIN LATERAL (SELECT crest_m, surveyed_on FROM tailings_crest_survey c WHERE c.pond_id = p.id
                               ORDER BY surveyed_on DESC LIMIT 1) s ON true
            ORDER BY p.code
            """)
        {
            TownOfKey = "(SELECT p.town_id FROM tailings_pond p WHERE p.code = {key})",
            Map = new(50, "尾矿库", "Tailings ponds"),
            Object = new("tailings_pond", "tailings_pond", "code", "(SELECT p.town_id FROM tailings_pond p WHERE p.id = {id})"),
            SearchSql = "SELECT p.code AS key, p.name, p.geom, p.town_id FROM tailings_pond p WHERE p.code ILIKE @like OR p.name ILIKE @like",
            RowOfKey = "tailings_pond WHERE code = @key",
        },

        new(LayerKind.TailingsFlowPaths, "tailings-flow-paths", "尾矿库下游路径 downstream flow paths",
            [Code with { Required = true, Aliases = ["尾矿库编码", "编码", "BM", "CODE"] }],
            TargetGeometry.LineString, LayerReference.Pond,
            "UPDATE tailings_pond SET flow_path = @geom::geometry, updated_at = now() WHERE id = @ref_id",
            "SELECT code, flow_path AS geom FROM tailings_pond WHERE flow_path IS NOT NULL ORDER BY code")
        {
            TownOfKey = "(SELECT p.town_id FROM tailings_pond p WHERE p.code = {key})",
            Map = new(60, "尾矿库下游路径", "Downstream paths"),
            RowOfKey = "tailings_pond WHERE code = @key",
        },

        new(LayerKind.TailingsDamToes, "tailings-dam-toes", "初期坝坝脚 starter-dam toes",
            [Code with { Required = true, Aliases = ["尾矿库编码", "编码", "BM", "CODE"] }],
            TargetGeometry.Point, LayerReference.Pond,
            "UPDATE tailings_pond SET dam_toe = @geom::geometry, updated_at = now() WHERE id = @ref_id",
            "SELECT code, dam_toe AS geom FROM tailings_pond WHERE dam_toe IS NOT NULL ORDER BY code")
        {
            TownOfKey = "(SELECT p.town_id FROM tailings_pond p WHERE p.code = {key})",
            RowOfKey = "tailings_pond WHERE code = @key",
        },

        new(LayerKind.TailingsDamCrests, "tailings-dam-crests", "坝顶轴线 dam crest lines",
            [Code with { Required = true, Aliases = ["尾矿库编码", "编码", "BM", "CODE"] }],
            TargetGeometry.LineString, LayerReference.Pond,
            "UPDATE tailings_pond SET dam_crest = @geom::geometry, updated_at = now() WHERE id = @ref_id",
            "SELECT code, dam_crest AS geom FROM tailings_pond WHERE dam_crest IS NOT NULL ORDER BY code")
        {
            TownOfKey = "(SELECT p.town_id FROM tailings_pond p WHERE p.code = {key})",
            RowOfKey = "tailings_pond WHERE code = @key",
        },

        new(LayerKind.Facilities, "facilities", "设施 facilities",
            [Code with { Aliases = ["编码", "编号", "BM", "CODE"] },
             Name,
             Codes("kind", "类型", ["类别", "LX", "KIND", "TYPE"], new()
             {
                 ["residential"] = ["居民点", "村庄", "居民区", "住宅", "院落"],
                 ["school"] = ["学校", "小学", "中学", "幼儿园"],
                 ["hospital"] = ["医院", "卫生院"],
                 ["factory"] = ["工厂", "企业", "厂矿"],
                 ["other"] = ["其他"],
             }) with { Required = true },
             Integer("population", "人口", "人数", "RK", "POPULATION") with { Range = (0, 1_000_000) },
             Town],
            TargetGeometry.Any, LayerReference.Town,
            $"""
            INSERT INTO facility (code, name, kind, population, town_id, geom)
            VALUES (@code, @name, @kind, @population, COALESCE(@ref_id, {TownBySpatial}), @geom::geometry)
            ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind,
                population = EXCLUDED.population, town_id = EXCLUDED.town_id, geom = EXCLUDED.geom, updated_at = now()
            """,
            """
            SELECT f.code, f.name, f.kind, f.population, t.name AS town, f.geom
            FROM facility f LEFT JOIN jurisdiction t ON t.id = f.town_id ORDER BY f.code
            """)
        {
            TownOfKey = "(SELECT f.town_id FROM facility f WHERE f.code = {key})",
            Map = new(70, "居民点与设施", "Residents and facilities"),
            RowOfKey = "facility WHERE code = @key",
        },
    ];

    /// <summary>The layers whose features are objects that alarms and assignments name (<see cref="LayerDefinition.Object"/>).</summary>
    public static IEnumerable<LayerDefinition> Objects => All.Where(l => l.Object is not null);

    /// <summary>
    /// SQL for the town (jurisdiction id) of the object of kind <paramref name="kindSql"/> (alarm.object_kind,
    /// assignment.object_kind) and id <paramref name="idSql"/>, both SQL expressions: one CASE over every object layer,
    /// null for a kind that is none of them.
    /// </summary>
    public static string TownOfObject(string kindSql, string idSql) =>
        $"CASE {kindSql} " + string.Concat(Objects.Select(l => $"WHEN '{l.Object!.Kind}' THEN {l.Object.TownOf(idSql)} ")) + "END";

    /// <summary>The layer with CLI name <paramref name="name"/> (e.g. <c>mining-rights</c>).</summary>
    public static LayerDefinition Get(string name) =>
        All.FirstOrDefault(l => string.Equals(l.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown layer '{name}'; layers: {string.Join(", ", All.Select(l => l.Name))}");

    /// <summary>The layer of <paramref name="kind"/>.</summary>
    public static LayerDefinition Get(LayerKind kind) => All.First(l => l.Kind == kind);

    /// <summary>Elevations in metres: from the deepest coal workings in China (about −1 500 m)
    /// with margin, to above Everest (8 849 m).</summary>
    private static (double, double) Elevation => (-3000, 9000); // a property: the layer list above is built before static fields below it

    private static FieldSpec Text(string name, bool required, params string[] aliases) => new(name, FieldKind.Text, required, aliases);

    private static FieldSpec Date(string name, params string[] aliases) => new(name, FieldKind.Date, false, aliases);

    private static FieldSpec Number(string name, bool required, params string[] aliases) => new(name, FieldKind.Number, required, aliases);

    private static FieldSpec Integer(string name, params string[] aliases) => new(name, FieldKind.Integer, false, aliases);

    private static FieldSpec Codes(string name, string firstAlias, string[] aliases, Dictionary<string, string[]> terms)
    {
        var codes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (code, words) in terms)
        {
            codes[code] = code;
            foreach (var word in words)
            {
                codes[word] = code;
            }
        }

        return new FieldSpec(name, FieldKind.Code, false, [firstAlias, .. aliases])
        {
            Codes = codes,
            CodeLabels = [.. terms.Select(t => new CodeLabel(t.Key, t.Value[0], FieldLabels.English(name, t.Key)))],
        };
    }
}
