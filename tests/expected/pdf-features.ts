// A bulletin written for the PDF tests (not from any parser): every feature of the layout in one
// issue — a kicker, a subtitle, an author line under a letter-spaced title, a title over two lines
// with its text straight under it, in-article headings (一、), a byline alone at the right, a photo
// between paragraphs, a Latin word and numbers, and the 报/发/送 lists. The tests typeset it in
// several typographies and expect it back as written.
import type { Issue } from "@bulletin/core";

export const features: Issue = {
  masthead: { title: "山西通信", number: "2026年第1期（总第213期）", date: "2026年1月26日" },
  sections: [
    {
      name: "协会消息",
      articles: [
        {
          kicker: "山西省通信行业协会",
          title: "召开2026年度会员大会暨第三届理事会第五次会议",
          subtitle: "审议通过年度工作报告和财务报告",
          authors: ["秘书处"],
          paragraphs: [
            "1月20日，山西省通信行业协会在太原召开2026年度会员大会暨第三届理事会第五次会议。协会理事长、副理事长、理事及会员单位代表共120余人参加会议，会议由协会秘书长主持。",
            "会议审议通过了《2025年度工作报告》和《2025年度财务报告》，表决通过了新增会员单位名单。与会代表围绕5G-A网络建设、AI+行业应用和数据要素流通等议题进行了深入交流。",
            "会议强调，2026年协会将继续发挥桥梁纽带作用，做好行业自律、标准宣贯和人才培养等工作，服务会员单位高质量发展。",
          ],
        },
        {
          title: "全省通信行业召开网络安全和数据安全工作推进会部署2026年重点任务",
          authors: [],
          paragraphs: [
            "1月22日，全省通信行业网络安全和数据安全工作推进会在太原召开。会议总结了2025年全省通信行业网络安全和数据安全工作，分析了当前面临的形势和挑战，部署了2026年重点任务。",
            "会议要求，各单位要压实主体责任，完善监测预警和应急处置机制，加强重要数据和个人信息保护，确保全年不发生重大网络安全事件。",
          ],
        },
      ],
    },
    {
      name: "会员风采",
      articles: [
        {
          title: "春到太行",
          authors: ["王丽"],
          paragraphs: [
            "立春刚过，太行山深处的通信基站旁已是一片忙碌景象。维护人员顶着寒风巡检线路，为山区群众送去稳定的信号。",
            "一、网络覆盖再延伸",
            "过去一年，公司在太行山区新建4G和5G基站236个，行政村通光纤比例达到100%，偏远自然村的通话和上网难题逐步得到解决。",
            "二、服务温度再提升",
            "公司组建了23支乡村服务队，走村入户开展智能手机使用培训，帮助老年人跨越“数字鸿沟”，受到群众广泛好评。",
          ],
        },
        {
          kicker: "中国电信山西分公司",
          title: "开展“数智赋能”主题志愿服务活动",
          authors: ["李静"],
          paragraphs: [
            "近日，中国电信山西分公司组织青年志愿者走进社区和学校，开展以“数智赋能”为主题的志愿服务活动，普及反诈知识和网络安全常识。",
            "活动共发放宣传资料3000余份，现场解答群众咨询500余人次，取得了良好的社会效果。",
          ],
        },
      ],
    },
  ],
  distribution: {
    report: ["中国通信企业协会", "山西省民政厅社会组织管理局", "山西省通信管理局领导"],
    distribute: ["本会副理事长", "常务理事", "理事", "团体会员单位"],
    copy: ["各省通信行业协会", "相关单位"],
  },
};

/**
 * The photo each feature typography prints (tests/support/pdf-fixtures.ts: a 240×160 picture after a
 * paragraph, its caption under it) and the figure it must import as, written by hand from there.
 */
export const FEATURE_FIGURES = {
  featuresSerif: {
    article: "召开2026年度会员大会暨第三届理事会第五次会议",
    figure: { src: "images/1.jpg", alt: "会议现场", caption: "会议现场", afterParagraph: 0, width: 240, height: 160 },
  },
  featuresSans: {
    article: "春到太行",
    figure: { src: "images/1.jpg", alt: "基站维护人员在巡检", caption: "基站维护人员在巡检", afterParagraph: 2, width: 240, height: 160 },
  },
} as const;

/** The feature bulletin as a typography prints it: with its photo as a figure of its article. */
export function featuresWithFigure(style: keyof typeof FEATURE_FIGURES): Issue {
  const { article, figure } = FEATURE_FIGURES[style];
  return {
    ...features,
    sections: features.sections.map((s) => ({ ...s, articles: s.articles.map((a) => (a.title === article ? { ...a, figures: [{ ...figure }] } : a)) })),
  };
}
