// Expected outline for samples/bulletins/004_c6f4c6a81dc11ba8.txt.
// Written by hand from reading the text (see ./README.md); not produced by any parser.
// Source line numbers (1-based, in the .txt file) are given in comments for review.
import type { ExpectedOutline } from "./outline-type.ts";

export const expected: ExpectedOutline = {
  sections: [
    {
      name: null,
      articles: [
        {
          title: "工业和信息化部党组将组织实施第四轮巡视", // L1 (page-break line; leading space removed)
          authors: [], // no byline
          paragraphStarts: [
            "5月26日，工业", // L3
            "会议指出，习近平", // L9 (L7 full width ending 。, L9 indented → rule (c))
            "会议强调，要准确", // L21
            "会议要求，要加强", // L33 (L31 is 30 chars ending 。 → short → paragraph end)
            "根据有关安排，部", // L39
          ],
          lastParagraphEnd: "校开展常规巡视。",
        },
      ],
    },
    {
      name: "高层信息",
      articles: [
        {
          // L44–L45: two complete headlines → title + subtitle.
          title: "中华人民共和国民营经济促进法开始施行",
          subtitle: "山西省级民营经济发展专项资金到位",
          authors: [], // no byline
          paragraphStarts: [
            "十四届全国人大常", // L47
            "合着国家的步伐，", // L57
            "专项资金采取“当", // L63
            "《办法》明确，专", // L71
            "专项资金支持县（", // L79
            "专项资金鼓励支持", // L89
            "专项资金支持民营", // L99
            "专项资金支持在省", // L105
          ],
          lastParagraphEnd: "元至500万元。",
        },
        {
          title: "今年信息通信行业将办好十件实事", // L115
          authors: ["李静"],
          paragraphStarts: [
            "5月17日是世界", // L117 (continues on page-break line L118)
            "“十件实事”主要", // L124
            "此外，便捷业务退", // L138
          ],
          lastParagraphEnd: "的历史绑定关系。",
        },
      ],
    },
    {
      name: "行业综合",
      articles: [
        {
          title: "2025中国信息通信业发展高层论坛6月隆重举行", // L157
          authors: [], // no byline
          paragraphStarts: [
            "为进一步贯彻落实", // L159
            "论坛主要内容：1", // L167
            "中国信息通信业发", // L177
            "欢迎山西协会各会", // L185 (one-line paragraph; L183 is short and ends ”。)
          ],
          lastParagraphEnd: "员单位踊跃参加。",
        },
        {
          title: "山西省政协党组书记、主席张春林在山西移动调研", // L187
          authors: ["王婧"], // byline printed without a preceding space: …相关人员参加。（王婧）
          paragraphStarts: [
            "最近，山西省政协", // L189
            "现场参观期间，张", // L197
            "张春林主席对山西", // L203 (page-break line; leading space removed)
            "廖建总经理从公司", // L221
            "省政协经济委员会", // L231 (L229 short, ends ！)
          ],
          lastParagraphEnd: "心相关人员参加。",
        },
        {
          kicker: "山西省通信管理局", // L235
          title: "深入开展非应邀商业电子信息及电信网络诈骗治理", // L236
          authors: ["郭飞"],
          paragraphStarts: [
            "2025年5月8", // L238
            "近年来，山西省通", // L248
            "下一步，山西省通", // L261 (L259 ends 。 one char short of full; L261 indented)
          ],
          lastParagraphEnd: "一体化防控体系。",
        },
      ],
    },
    {
      name: "协会消息",
      articles: [
        {
          title: "2025年山西通信行业“设计杯”羽毛球比赛圆满落幕", // L281
          authors: ["赵进"],
          paragraphStarts: [
            "5月10日，由山", // L283
            "比赛项目设置为混", // L293
            "为了保证比赛的公", // L301
            "经过一天的激烈角", // L307
            "此次“设计杯”羽", // L314 (L313 full width ending 。; page-break line L314 indented → rule (c))
          ],
          lastParagraphEnd: "和发展发挥作用。",
        },
      ],
    },
    {
      name: "会员动态",
      articles: [
        {
          title: "山西联通举办科技创新暨人工智能合作伙伴大会", // L324
          authors: ["张俊清"],
          paragraphStarts: [
            "5月9日，以“拥", // L326
            // L338: "…领先的人工智能服务商。" (L344, full width) + "下一步，中国联通将持续…" (L346,
            // full width) stay one paragraph (no indent evidence), as the brief specifies.
            "中国联通集团公司", // L338
            "山西联通党委书记", // L352
            "中国工程院院士沈", // L365
            "会议举行了中国联", // L373
            "本次大会，山西联", // L381
          ],
          lastParagraphEnd: "行百业数智转型。",
        },
        {
          // L388–L389: second line starts with 和 → one headline.
          title: "山西电信“5·17”世界电信日和山西总工会服务户外劳动者公益爱心活动“联姻”",
          authors: ["朱悦", "于俊玲"],
          paragraphStarts: [
            "5月16日，“5", // L391
            // note: L403 "…等方面的情况。" is full width and ends 。, and L405 "山西电信全面推进“爱心翼站”…"
            // reads like a fresh paragraph, but L405 is itself full width (no indent evidence), so by
            // rule 3 it stays in the same paragraph as L399.
            "活动中，中国电信", // L399
            "山西省总工会党组", // L412
            "活动期间，山西省", // L429
          ],
          lastParagraphEnd: "彤作了防诈宣讲。",
        },
        {
          kicker: "中移铁通山西运城分公司", // L439
          title: "驰援绛县扑救山火彰显通信人使命担当", // L440
          authors: ["刘大奇"],
          paragraphStarts: [
            "近日，运城市绛县", // L442
            "火场救援，刻不容", // L446 (L444 is 29 chars ending 。 → short → paragraph end)
            "面对火场外围通信", // L452
            "“山火不灭，保障", // L468
          ],
          lastParagraphEnd: "人的使命和担当。",
        },
        {
          // L477: a single headline line (page-break line; leading space removed). The organisation
          // name is part of the headline here, not a separate kicker line.
          title: "山西信息规划设计院有限公司再传中标喜讯",
          authors: ["李晔宇"],
          paragraphStarts: [
            "近期，山西信息规", // L479
            "本次中标迎来了公", // L486
            "此外，根据中国联", // L492
          ],
          lastParagraphEnd: "公司高质量发展。",
        },
        {
          // L508–L509: "亮相2025中国移动" is incomplete → one headline; the space inside the quote is kept.
          title: "博浩科技亮相2025中国移动“供赢精采 蓉耀未来”产业对接大会",
          authors: ["袁成伟"],
          paragraphStarts: [
            "近日，由中国移动", // L511
            "本次大会以全面贯", // L521
            "活动期间，行业专", // L534
          ],
          lastParagraphEnd: "，合作成果丰硕。",
        },
        {
          title: "太原实业积极参加省通信行业“设计杯”羽毛球比赛", // L543
          authors: ["牛玉国"],
          paragraphStarts: [
            "5月10日，山西", // L545
            // L553: L551 full width ending 。, L553 indented → rule (c). Inside this paragraph,
            // "…相得益彰。" (L559) + "面对强劲对手…" (L561) stay together, as the brief specifies.
            "比赛现场，气氛热", // L553
            "本次比赛不仅是一", // L565 (L563 ends 。, L565 indented)
          ],
          lastParagraphEnd: "多彩的业余生活。",
        },
      ],
    },
  ],
  distribution: {
    // note: the "报：" label was lost in extraction; the two lines before "发：" (L573, L575) are the report list.
    report: ["中国通信企业协会", "山西省民政厅社会组织管理局", "山西省通信管理局领导", "各中心", "各处室"],
    distribute: ["本会副理事长", "常务理事", "理事", "团体会员单位"],
    copy: ["各省通信行业协会", "相关单位"],
  },
};
