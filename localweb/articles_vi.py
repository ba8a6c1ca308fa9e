"""Vietnamese pages: follow-ups and noise.

All texts are original prose written for this test web.
"""

from __future__ import annotations

from localweb.model import Page

PAGES: tuple[Page, ...] = (
    Page(
        outlet="songhong",
        path="/2025/01/28/deepseek-khien-co-phieu-nvidia-mat-gan-600-ty-usd.html",
        title="DeepSeek khiến cổ phiếu Nvidia mất gần 600 tỷ USD vốn hóa",
        language="vi",
        published="2025-01-28T09:30:00+07:00",
        author="Minh Tuấn",
        paragraphs=(
            "Cổ phiếu Nvidia giảm 17% trong phiên giao dịch ngày 27/1 tại Phố Wall, khiến hãng "
            "chip Mỹ mất khoảng 589 tỷ USD giá trị vốn hóa, mức sụt giảm lớn nhất trong một ngày "
            "của một doanh nghiệp trong lịch sử chứng khoán Mỹ. Nguyên nhân được cho là sự nổi "
            "lên của công ty khởi nghiệp trí tuệ nhân tạo DeepSeek đến từ Trung Quốc.",
            "DeepSeek ra mắt mô hình suy luận R1 vào ngày 20/1. Theo công ty, mô hình này có hiệu "
            "năng tương đương o1 của OpenAI trong nhiều bài kiểm tra về toán học và lập trình, "
            "trong khi chi phí huấn luyện thấp hơn nhiều. Ứng dụng trò chuyện của DeepSeek cũng "
            "vượt ChatGPT để đứng đầu bảng xếp hạng ứng dụng miễn phí trên App Store tại Mỹ.",
            "Giới đầu tư lo ngại rằng nếu các mô hình AI mạnh có thể được phát triển với ít chip "
            "hơn, nhu cầu đối với bộ xử lý đồ họa đắt tiền của Nvidia có thể không còn tăng mạnh "
            "như kỳ vọng. Chỉ số Nasdaq giảm 3,1% trong cùng phiên.",
            "Tuy nhiên, nhiều chuyên gia cho rằng phản ứng của thị trường có phần thái quá. Theo "
            "họ, chi phí thấp sẽ giúp AI được ứng dụng rộng rãi hơn, từ đó tạo ra nhu cầu tính "
            "toán lớn hơn trong dài hạn.",
            "Tại Việt Nam, nhiều nhà phát triển phần mềm cũng đã bắt đầu thử nghiệm DeepSeek-R1 "
            "vì mô hình này được công bố mã nguồn mở và có thể chạy trên máy chủ riêng.",
        ),
        expect="followup",
    ),
    Page(
        outlet="songhong",
        path="/2025/02/05/doanh-nghiep-cong-nghe-viet-thu-nghiem-deepseek.html",
        title="Doanh nghiệp công nghệ Việt thử nghiệm DeepSeek",
        language="vi",
        published="2025-02-05T15:00:00+07:00",
        author="Thu Hà",
        paragraphs=(
            "Chỉ sau hơn hai tuần ra mắt, mô hình DeepSeek-R1 của Trung Quốc đã được nhiều doanh "
            "nghiệp công nghệ Việt Nam đưa vào thử nghiệm. Điểm hấp dẫn lớn nhất là mô hình được "
            "công bố mã nguồn mở, có thể tải về và vận hành trên hạ tầng trong nước.",
            "Anh Nguyễn Văn Khải, giám đốc kỹ thuật một công ty phần mềm tại Hà Nội với khoảng "
            "200 nhân viên, cho biết nhóm của anh đã cài đặt một phiên bản rút gọn của "
            "DeepSeek-R1 trên máy chủ riêng để hỗ trợ lập trình viên viết và kiểm tra mã. “Chi "
            "phí thấp hơn nhiều so với việc trả phí cho các dịch vụ nước ngoài, và dữ liệu không "
            "rời khỏi công ty”, anh nói.",
            "Một số đơn vị khác thử nghiệm DeepSeek trong chăm sóc khách hàng và tóm tắt văn "
            "bản. Theo đánh giá ban đầu, mô hình trả lời tiếng Việt khá tốt ở các câu hỏi kỹ "
            "thuật, nhưng đôi khi dùng từ chưa tự nhiên và có thể chuyển sang tiếng Anh hoặc "
            "tiếng Trung giữa chừng.",
            "Các chuyên gia an ninh mạng khuyến cáo doanh nghiệp không nên nhập dữ liệu nhạy cảm "
            "vào ứng dụng DeepSeek trên điện thoại, vì theo chính sách bảo mật, dữ liệu người "
            "dùng được lưu trữ tại Trung Quốc. Cách an toàn hơn là tự triển khai mô hình trên hạ "
            "tầng của mình.",
            "Nhiều ý kiến cho rằng sự xuất hiện của DeepSeek sẽ thúc đẩy cạnh tranh và giúp chi "
            "phí sử dụng AI giảm mạnh, mở ra cơ hội cho các doanh nghiệp vừa và nhỏ.",
        ),
        expect="followup",
    ),
    Page(
        outlet="songhong",
        path="/2025/02/18/han-quoc-tam-dung-cho-tai-ung-dung-deepseek.html",
        title="Hàn Quốc tạm dừng cho tải ứng dụng DeepSeek",
        language="vi",
        published="2025-02-18T10:45:00+07:00",
        author="Minh Tuấn",
        paragraphs=(
            "Ủy ban Bảo vệ Thông tin Cá nhân Hàn Quốc (PIPC) ngày 17/2 thông báo ứng dụng "
            "DeepSeek đã tạm thời bị gỡ khỏi các kho ứng dụng tại nước này, cho đến khi công ty "
            "Trung Quốc khắc phục các vấn đề liên quan đến bảo vệ dữ liệu cá nhân.",
            "Theo PIPC, việc tạm dừng có hiệu lực từ tối 15/2. Người dùng đã cài đặt vẫn có thể "
            "tiếp tục sử dụng ứng dụng, nhưng cơ quan này khuyến cáo họ nên thận trọng và tránh "
            "nhập thông tin cá nhân. Phiên bản web của DeepSeek vẫn hoạt động bình thường.",
            "Cơ quan quản lý cho biết đã phát hiện một số thiếu sót, trong đó có việc chia sẻ dữ "
            "liệu người dùng với bên thứ ba. DeepSeek đã cử đại diện tại Hàn Quốc và thừa nhận "
            "chưa xem xét đầy đủ luật bảo vệ dữ liệu của nước này.",
            "Trước đó, nhiều bộ ngành và doanh nghiệp lớn của Hàn Quốc đã chặn truy cập DeepSeek "
            "trên máy tính làm việc. Australia, Đài Loan (Trung Quốc) và Italy cũng đã áp dụng "
            "các biện pháp hạn chế đối với ứng dụng này.",
            "Kể từ khi ra mắt mô hình R1 vào tháng 1, DeepSeek nhanh chóng trở thành một trong "
            "những ứng dụng được tải nhiều nhất thế giới, nhưng cũng vấp phải sự giám sát ngày "
            "càng chặt chẽ về quyền riêng tư và an ninh.",
        ),
        expect="followup",
    ),
    Page(
        outlet="songhong",
        path="/2025/02/12/mien-bac-don-dot-khong-khi-lanh-moi.html",
        title="Miền Bắc đón đợt không khí lạnh mới, vùng núi có nơi dưới 5 độ C",
        language="vi",
        published="2025-02-12T07:00:00+07:00",
        author="Thu Hà",
        paragraphs=(
            "Theo Trung tâm Dự báo khí tượng thủy văn quốc gia, một đợt không khí lạnh tăng "
            "cường sẽ ảnh hưởng đến các tỉnh miền Bắc từ đêm 13/2. Nhiệt độ giảm từ 4 đến 6 độ C "
            "so với những ngày trước đó.",
            "Tại Hà Nội, nhiệt độ thấp nhất dự báo khoảng 12 đến 14 độ C, trời có mưa nhỏ và mưa "
            "phùn vào sáng sớm. Ở vùng núi cao như Sa Pa, Mẫu Sơn, nhiệt độ có thể xuống dưới 5 "
            "độ C, người dân cần đề phòng băng giá và sương muối.",
            "Cơ quan khí tượng khuyến cáo người dân giữ ấm cơ thể, đặc biệt là người già và trẻ "
            "nhỏ. Nông dân cần che chắn cho cây trồng, vật nuôi, không thả trâu bò ra đồng khi "
            "nhiệt độ dưới 10 độ C.",
            "Trên biển, gió đông bắc mạnh cấp 6, giật cấp 8 ở vịnh Bắc Bộ, biển động. Tàu thuyền "
            "hoạt động trên vùng biển này cần chủ động phòng tránh.",
            "Dự báo đợt rét sẽ kéo dài khoảng ba đến bốn ngày, sau đó nhiệt độ tăng dần, trời "
            "chuyển nồm ẩm vào cuối tuần.",
        ),
        expect="off_topic",
        in_sitemap=False,
    ),
    Page(
        outlet="songhong",
        path="/2025/03/01/gia-ca-phe-xuat-khau-tiep-tuc-neo-o-muc-cao.html",
        title="Giá cà phê xuất khẩu tiếp tục neo ở mức cao trong tháng 2",
        language="vi",
        published="2025-03-01T08:30:00+07:00",
        author="Minh Tuấn",
        paragraphs=(
            "Giá cà phê xuất khẩu của Việt Nam tiếp tục neo ở mức cao trong tháng 2, giúp kim "
            "ngạch tăng mạnh dù khối lượng giảm so với cùng kỳ năm trước. Giá xuất khẩu bình "
            "quân ước khoảng 5.600 USD/tấn, gần gấp đôi cùng kỳ năm 2024.",
            "Theo các doanh nghiệp, nguồn cung cà phê Robusta trên thế giới vẫn eo hẹp do thời "
            "tiết bất lợi tại các vùng trồng lớn, trong khi nhu cầu từ châu Âu và châu Á ổn "
            "định. Giá cà phê nhân xô tại Tây Nguyên có thời điểm vượt 130.000 đồng/kg.",
            "Nhiều nông dân ở Đắk Lắk, Gia Lai, Lâm Đồng phấn khởi vì thu nhập tăng, song cũng có "
            "tâm lý găm hàng chờ giá. Một số doanh nghiệp xuất khẩu gặp khó khăn vì phải thực "
            "hiện các hợp đồng đã ký trước đó với giá thấp hơn.",
            "Các chuyên gia khuyến cáo người trồng không nên ồ ạt mở rộng diện tích, mà tập trung "
            "nâng cao chất lượng, áp dụng quy trình canh tác bền vững để đáp ứng quy định chống "
            "phá rừng của Liên minh châu Âu.",
            "Năm 2024, xuất khẩu cà phê của Việt Nam đạt kỷ lục hơn 5,4 tỷ USD, bất chấp sản "
            "lượng giảm.",
        ),
        expect="off_topic",
    ),
    Page(
        outlet="songhong",
        path="/2024/12/06/nvidia-thanh-lap-trung-tam-nghien-cuu-ai-tai-viet-nam.html",
        title="Nvidia thành lập trung tâm nghiên cứu và phát triển AI tại Việt Nam",
        language="vi",
        published="2024-12-06T14:00:00+07:00",
        author="Thu Hà",
        paragraphs=(
            "Tập đoàn Nvidia và Chính phủ Việt Nam ngày 5/12 đã ký thỏa thuận hợp tác thành lập "
            "Trung tâm nghiên cứu và phát triển về trí tuệ nhân tạo và trung tâm dữ liệu AI tại "
            "Việt Nam. Lễ ký kết diễn ra tại Hà Nội với sự chứng kiến của Thủ tướng Phạm Minh "
            "Chính và Tổng giám đốc Nvidia Jensen Huang.",
            "Theo thỏa thuận, trung tâm sẽ tập trung phát triển các giải pháp AI, thu hút nhân "
            "tài trong và ngoài nước, đồng thời hỗ trợ hệ sinh thái khởi nghiệp công nghệ. Đây "
            "là bước đi quan trọng trong chiến lược phát triển ngành bán dẫn và trí tuệ nhân tạo "
            "của Việt Nam.",
            "Nhân dịp này, Nvidia cũng công bố mua lại VinBrain, công ty khởi nghiệp về AI trong "
            "lĩnh vực y tế thuộc Tập đoàn Vingroup. VinBrain đã phát triển nhiều sản phẩm hỗ trợ "
            "chẩn đoán hình ảnh được sử dụng tại hàng trăm bệnh viện.",
            "Phát biểu tại sự kiện, ông Jensen Huang cho rằng Việt Nam có tiềm năng lớn trong "
            "lĩnh vực công nghệ nhờ lực lượng kỹ sư trẻ và chính sách thu hút đầu tư tích cực. "
            "Ông gọi đây là ngày khai sinh của Nvidia Việt Nam.",
            "Thủ tướng Phạm Minh Chính đề nghị Nvidia hỗ trợ Việt Nam đào tạo nguồn nhân lực chất "
            "lượng cao, phát triển hạ tầng số và xây dựng hệ sinh thái trí tuệ nhân tạo.",
        ),
        expect="too_old",
    ),
)

#: Pages that belong to general news sections rather than to ``/tech/``.
GENERAL: frozenset[tuple[str, str]] = frozenset(
    {
        ("songhong", "/2025/02/12/mien-bac-don-dot-khong-khi-lanh-moi.html"),
        ("songhong", "/2025/03/01/gia-ca-phe-xuat-khau-tiep-tuc-neo-o-muc-cao.html"),
    }
)
