// Expected outline for samples/bulletins/000_72499c077e53a44e.txt.
// Written by hand from reading the text (see ./README.md); not produced by any parser.
// Source line numbers (1-based, in the .txt file) are given in comments for review.
import type { ExpectedOutline } from "./outline-type.ts";

export const expected: ExpectedOutline = {
  sections: [
    {
      name: null,
      articles: [
        {
          // L3–L4. note: "召开…" has no subject of its own, so this could also be read as one
          // headline over two lines; the brief names 山西省通信管理局 as a kicker, so it is a kicker.
          kicker: "山西省通信管理局",
          title: "召开深入贯彻中央八项规定精神学习教育总结会议",
          authors: ["梁月军"],
          paragraphStarts: [
            "9月8日，山西省", // L5
            "会议指出，学习教", // L13
            "会议强调，全局各", // L23 (L21 is 30 chars, short → paragraph end)
          ],
          lastParagraphEnd: "作善成的实干家。",
        },
      ],
    },
    {
      name: "行业综合",
      articles: [
        {
          title: "山西省通信行业自律委员会召开第四次工作会议", // L44
          authors: ["郝丹青"],
          paragraphStarts: [
            "9月9日，山西省", // L46
            "全省信息通信业行", // L56
            "会议认为，今年以", // L62
            "山西省通信管理局", // L72
            "王千里在讲话中指", // L82 (continues across the —4— page number to L100)
          ],
          lastParagraphEnd: "谐良性竞争环境。",
        },
        {
          title: "山西省通信管理局召开网络安全保险服务宣介会", // L102
          authors: ["郭旭婷"],
          paragraphStarts: [
            "9月25日，山西", // L104
            "宣介会上，国家工", // L116
            "会议的召开对促进", // L124
          ],
          lastParagraphEnd: "出新的更大贡献。",
        },
        {
          title: "山西省通信管理局突击拉动演练锤炼通信保障硬实力", // L132
          authors: ["郭飞"],
          paragraphStarts: [
            "9月22日16时", // L134
            "集结指令发出后，", // L142
            "演练围绕“现场指", // L152 (continues on page-break line L153)
            "本次演练坚持“真", // L165
          ],
          lastParagraphEnd: "赢”的过硬素质。",
        },
      ],
    },
    {
      name: "协会动态",
      articles: [
        {
          kicker: "以“强党建 抓监管 促培育”为主题", // L177
          title: "山西省通信管理局来山西省通信行业协会调研", // L178
          authors: ["秘书处"],
          paragraphStarts: [
            "9月15日上午，", // L180
            "这次调研的目的：", // L184
            "调研围绕行业协会", // L194
            "从管理与履职方面", // L200
            "调研组通过座谈、", // L207
            "最后，调研组通报", // L215 (one-line paragraph carrying the byline)
          ],
          lastParagraphEnd: "通报了相关情况。",
        },
      ],
    },
    {
      name: "会员消息",
      articles: [
        {
          // L219–L220: first line ends with the transitive verb 隆重纪念 → one headline.
          title: "山西联通开展多项活动隆重纪念中国人民抗日战争暨世界反法西斯战争胜利80周年",
          authors: ["张俊清", "王丽"],
          paragraphStarts: [
            "9月份以来，为铭", // L222
            "9月3日清晨，山", // L228
            "山西联通纪念中国", // L250
            "在纪念活动期间，", // L255 (page-break line; leading space removed)
            "山西联通坚持全程", // L267
          ],
          lastParagraphEnd: "零中断”的目的。",
        },
        {
          // L281–L282: second line starts with 并 → one headline.
          title: "山西移动与团省委签署战略协议并联合共建“青春驿站”",
          authors: ["王婧"],
          paragraphStarts: [
            "9月5日，山西移", // L284
            "“青春驿站”是团", // L296
            "张钧书记在讲话中", // L304
            "廖建总经理表示，", // L313
            "签约仪式后，各市", // L325
            "山西移动将持续深", // L331 (L329 full width ending 。, L331 indented → rule (c))
          ],
          lastParagraphEnd: "入澎湃青春动能。",
        },
        {
          // L337–L338: first line is an open "在…" phrase → one headline.
          title: "山西电信在全省信息产业新技术职工职业技能竞赛5G应用赛项中斩获佳绩",
          authors: ["朱悦", "闫雪姣"],
          paragraphStarts: [
            "9月19日，山西", // L340
            "本次竞赛由山西省", // L348
            "山西电信既是赛事", // L365
            "山西电信将以此次", // L381
          ],
          lastParagraphEnd: "实现高质量发展。",
        },
        {
          title: "中移铁通山西分公司承办“技能山西”职业技能大赛", // L389
          authors: ["刘大奇"],
          paragraphStarts: [
            "9月11日至12", // L391
            "开幕式期间，山西", // L407 (L405 is 31 chars ending 。, L407 indented)
            "比赛由理论考试和", // L411
            "本次技能大赛旨在", // L420
          ],
          lastParagraphEnd: "奠定了坚实基础。",
        },
        {
          // L432–L433. note: the second line starts with "在…", but the first line is a bare
          // organisation name, which the conventions make a kicker.
          kicker: "山西信息规划设计院有限公司",
          title: "在第十四届“建苑杯”羽毛球比赛中赢得多项荣誉",
          authors: ["李晔宇"], // byline printed without a preceding space: …品牌形象。（李晔宇）
          paragraphStarts: [
            "近日，山西省勘察", // L435
            "比赛场上，选手们", // L443
            "此次比赛共汇聚了", // L455
          ],
          lastParagraphEnd: "良好的品牌形象。",
        },
      ],
    },
    {
      name: "学习考察",
      articles: [
        {
          title: "初见雄安", // L466 "初 见 雄 安", letter-spacing removed
          authors: ["张华焰"], // L468, name line under the title; no byline at the end
          paragraphStarts: [
            "2017年，雄安", // L470
            "天高云淡，秋风送", // L480
            "借风北京城，秋意", // L484
            "在会议结束后，组", // L495
            "走进雄安市民服务", // L507 (L505 full width ending 。, L507 indented → rule (c))
            // note: L517 is a full-width line ending 。 and L519 "在数字通信、智慧城市、绿色低碳和智能建设上遥遥领先。"
            // is a short (26-char) line with no indent evidence either way; it has no subject of its
            // own and reads as the summary of the 走进雄安… paragraph, so it is kept in that paragraph.
            "在雄安，传统与现", // L520 (page-break line; leading space removed)
            "如今的雄安，每天", // L530 (L528 full width ending ”, L530 indented → rule (c))
            "据人民日报9月1", // L536
            "离开雄安时，夕阳", // L548
            "雄安，正以生长的", // L558
          ],
          lastParagraphEnd: "城市的文明发展。",
        },
      ],
    },
  ],
  distribution: {
    report: ["中国通信企业协会", "山西省民政厅社会组织管理局", "山西省通信管理局领导", "各中心", "各处室"],
    distribute: ["本会副理事长", "常务理事", "理事", "团体会员单位"],
    copy: ["各省通信行业协会", "相关单位"],
  },
};
