-- The report's fixture (tests/t0100-report.t), on top of tests/data/config.yaml.
--
-- 2022: the seed's headline (1—12月: 874.2 亿元 completed against a 640.0 亿元 plan, 136.6%;
-- every planned new start started).  Source: the city's 2023 government work report, as
-- quoted in the project's domain notes: "预计省市重点项目完成投资874.2亿元,投资完成率136.6%,
-- 计划新开工项目全部开工".  Four projects whose plans add up to 6,400,000 万元 and whose 2022
-- progress adds up to 8,742,000 万元; a December 2021 row must not count.
--
-- 2023 (read as quarter 3, January to September): the edges.  Amounts in 万元.
--   R-A 安次 80.0%  R-B 广阳 50.0%  R-C 固安 50.0% (a tie; C4 has no plan: a note, no rate)
--   R-E 永清 40.0%  R-F 香河 plan 0 (no rate, no rank)  R-G 大城: G7 withdrawn in July (a note,
--   not counted), G8 withdrawn in October (counted, 0.0%).  October's rows do not count; a
--   corrected September (C3: 1000 then 900) counts its latest row.
SET search_path = kpr;

INSERT INTO project (code, name, region_code, zone_code, level, nature, industry, responsible_unit, leader,
		     planned_start, actual_start, total_investment, pool_code) VALUES
	('S22-A', '种子项目甲', '131002', NULL, '省重点', '续建', '交通', '市交通局', '张三', NULL, NULL, 5000000, 'construction'),
	('S22-B', '种子项目乙', '131003', NULL, '市重点', '续建', '制造', '广阳区人民政府', '李四', NULL, NULL, 4000000, 'construction'),
	('S22-C', '种子项目丙', '131022', NULL, '市重点', '续建', '物流', '固安县人民政府', '王五', NULL, NULL, 3000000, 'construction'),
	('S22-D', '种子项目丁', '131023', NULL, '省重点', '新开工', '数字', '永清县人民政府', '赵六', '2022-03-01', '2022-04-10', 2500000, 'started'),
	('T23-A1', '测试项目A1', '131002', '131071', '市重点', '新开工', '交通', '安次区人民政府', '钱一', '2023-05-01', '2023-06-01', 150000, 'started'),
	('T23-B2', '测试项目B2', '131003', NULL, '市重点', '新开工', '制造', '广阳区人民政府', '孙二', '2023-08-01', NULL, 8000, 'preparation'),
	('T23-C3', '测试项目C3', '131022', 'LKJJQ', '省重点', '续建', '物流', '固安县人民政府', '周三', NULL, NULL, 20000, 'construction'),
	('T23-C4', '测试项目C4', '131022', NULL, '市重点', '续建', NULL, '固安县人民政府', '吴四', NULL, NULL, NULL, 'construction'),
	('T23-E5', '测试项目E5', '131023', '131071', '市重点', '新开工', '数字', '永清县人民政府', '郑五', '2023-02-01', NULL, 3000, 'started'),
	('T23-E9', '测试项目E9', '131023', NULL, '市重点', '新开工', '数字', '永清县人民政府', '郑五', '2023-11-01', NULL, 1000, 'signed'),
	('T23-F6', '测试项目F6', '131024', NULL, '市重点', '续建', '交通', '香河县人民政府', '王六', NULL, NULL, 10000, 'construction'),
	('T23-G7', '测试项目G7', '131025', NULL, '市重点', '续建', '交通', '大城县人民政府', '冯七', NULL, NULL, 9000, 'construction'),
	('T23-G8', '测试项目G8', '131025', NULL, '市重点', '续建', '交通', '大城县人民政府', '冯八', NULL, NULL, 9000, 'construction');

INSERT INTO project_year (project_id, year, annual_plan)
SELECT project_id, y, plan FROM project JOIN (VALUES
	('S22-A', 2022, 2000000), ('S22-B', 2022, 1500000), ('S22-C', 2022, 1400000), ('S22-D', 2022, 1500000),
	('T23-A1', 2023, 1000.5000), ('T23-B2', 2023, 1000), ('T23-C3', 2023, 3000), ('T23-C4', 2023, NULL),
	('T23-E5', 2023, 1000), ('T23-E9', 2023, 100), ('T23-F6', 2023, 0), ('T23-G7', 2023, 700), ('T23-G8', 2023, 500)
) v (c, y, plan) ON code = c;

INSERT INTO project_scenario (project_id, scenario_id)
SELECT p.project_id, s.scenario_id FROM project p JOIN (VALUES ('T23-A1', 'S01'), ('T23-A1', 'S02'),
	('T23-B2', 'S01'), ('T23-E5', 'S02')) v (c, sc) ON p.code = v.c JOIN scenario s ON s.code = v.sc AND s.year = 2023;

-- in insertion order: a later row of the same month is its correction
INSERT INTO progress (project_id, month, amount, problems, actual_start)
SELECT project_id, m::date, amt, prob, st::date FROM project JOIN (VALUES
	(1, 'S22-A', '2021-12-01', 500000, NULL, NULL),
	(2, 'S22-A', '2022-03-01', 1000000, NULL, NULL), (3, 'S22-A', '2022-09-01', 1000000, NULL, NULL),
	(4, 'S22-A', '2022-12-01', 1000000, NULL, NULL),
	(5, 'S22-B', '2022-06-01', 1200000, NULL, NULL), (6, 'S22-B', '2022-12-01', 800000, NULL, NULL),
	(7, 'S22-C', '2022-12-01', 1742000, NULL, NULL),
	(8, 'S22-D', '2022-05-01', 900000, NULL, NULL), (9, 'S22-D', '2022-11-01', 1100000, NULL, NULL),
	(10, 'T23-A1', '2022-12-01', 77, NULL, NULL),
	(11, 'T23-A1', '2023-03-01', 400.0617, NULL, NULL), (12, 'T23-A1', '2023-09-01', 400.4383, NULL, NULL),
	(13, 'T23-A1', '2023-10-01', 100, NULL, NULL),
	(14, 'T23-B2', '2023-09-01', 500, '土地手续未办结', NULL),
	(15, 'T23-C3', '2023-06-01', 600, NULL, NULL), (16, 'T23-C3', '2023-09-01', 1000, NULL, NULL),
	(17, 'T23-C3', '2023-09-01', 900, NULL, NULL),
	(18, 'T23-C4', '2023-04-01', 200, NULL, NULL),
	(19, 'T23-E5', '2023-03-01', 150, '资金未到位', '2023-03-05'), (20, 'T23-E5', '2023-07-01', 250, '施工许可待批', NULL),
	(21, 'T23-F6', '2023-05-01', 100, NULL, NULL),
	(22, 'T23-G7', '2023-02-01', 300, NULL, NULL)
) v (n, c, m, amt, prob, st) ON code = c ORDER BY n;

INSERT INTO pool_move (project_id, from_pool, to_pool, moved_on, reason)
SELECT project_id, 'construction', NULL, d::date, why FROM project JOIN (VALUES
	('T23-G7', '2023-07-15', '项目终止'), ('T23-G8', '2023-10-10', '项目调出')) v (c, d, why) ON code = c;

INSERT INTO colour_evaluation (project_id, month, colour, rule_colour, rule_id)
SELECT project_id, '2023-09-01', col, col, rule FROM project JOIN (VALUES
	('T23-A1', 'green', 'green'), ('T23-B2', 'yellow', 'yellow-behind'), ('T23-E5', 'red', 'red-behind-30'),
	('T23-C3', 'red', 'red-behind-30')) v (c, col, rule) ON code = c;
